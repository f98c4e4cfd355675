// The endpoint browsers send CSP violation reports to (report-uri: one JSON object per
// report, `application/csp-report`). Reports are reduced to what says what was blocked
// where: URLs lose their query and fragment (the callback URL carries the authorization
// code), and script samples are dropped (they may quote page data).
import type { FastifyInstance } from 'fastify';
import { CSP_REPORT_PATH } from './content-security-policy.ts';

export interface CspViolation {
  directive: string;
  /** `inline`, `eval`, `trusted-types-sink`… or an origin + path. */
  blocked: string;
  /** The page's path. */
  page: string;
}

const REPORT_TYPES = ['application/csp-report', 'application/reports+json'];

export function registerCspReports(
  app: FastifyInstance,
  onViolation: (violation: CspViolation) => void,
): void {
  app.addContentTypeParser(
    REPORT_TYPES,
    { parseAs: 'string', bodyLimit: 16 * 1024 },
    (_r, body, done) => {
      try {
        done(null, JSON.parse(String(body)));
      } catch {
        done(null, undefined);
      }
    },
  );
  app.post(CSP_REPORT_PATH, { bodyLimit: 16 * 1024 }, async (request, reply) => {
    for (const report of reportsIn(request.body)) onViolation(report);
    return reply.code(204).send();
  });
}

function reportsIn(body: unknown): CspViolation[] {
  const list = Array.isArray(body) ? body : [body];
  const out: CspViolation[] = [];
  for (const item of list.slice(0, 20)) {
    if (typeof item !== 'object' || item === null) continue;
    const record = item as Record<string, unknown>;
    // report-uri: { "csp-report": {...} } with kebab-case; Reporting API: { body: {...} }.
    const raw = (record['csp-report'] ?? record.body ?? {}) as Record<string, unknown>;
    const field = (...names: string[]) => {
      for (const name of names) if (typeof raw[name] === 'string') return raw[name] as string;
      return '';
    };
    out.push({
      directive: field('effective-directive', 'effectiveDirective', 'violated-directive'),
      blocked: withoutQuery(field('blocked-uri', 'blockedURL')),
      page: pathOf(field('document-uri', 'documentURL')),
    });
  }
  return out;
}

function withoutQuery(uri: string): string {
  if (!URL.canParse(uri)) return uri.slice(0, 40); // keywords: inline, eval, trusted-types-sink
  const url = new URL(uri);
  return `${url.origin}${url.pathname}`;
}

function pathOf(uri: string): string {
  return URL.canParse(uri) ? new URL(uri).pathname : '';
}
