// The endpoint browsers send CSP violation reports to (report-uri: one JSON object per
// report, `application/csp-report`). Reports are reduced to what says what was blocked
// where: URLs lose their query and fragment (the callback URL carries the authorization
// code), and script samples are dropped (they may quote page data).
// Anyone can post here, so every field is bounded and made printable (a raw newline would
// let a report forge log lines), and each address may send only so many reports.
import rateLimit from '@fastify/rate-limit';
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

/** Reports accepted per client address and window; beyond it 429 and nothing is logged. */
export interface CspReportLimit {
  perAddress: number;
  windowSeconds: number;
}

// A page load with a real violation sends a handful; a loop in a broken page, a few a second.
export const DEFAULT_CSP_REPORT_LIMIT: CspReportLimit = { perAddress: 60, windowSeconds: 60 };

export async function registerCspReports(
  app: FastifyInstance,
  onViolation: (violation: CspViolation) => void,
  limit: CspReportLimit = DEFAULT_CSP_REPORT_LIMIT,
): Promise<void> {
  // Only routes that ask for it (this one) are limited; the app itself is not.
  await app.register(rateLimit, { global: false });
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
  const rateLimited = { max: limit.perAddress, timeWindow: limit.windowSeconds * 1000 };
  app.post(
    CSP_REPORT_PATH,
    { bodyLimit: 16 * 1024, config: { rateLimit: rateLimited } },
    async (request, reply) => {
      for (const report of reportsIn(request.body)) onViolation(report);
      return reply.code(204).send();
    },
  );
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
      directive: printable(
        field('effective-directive', 'effectiveDirective', 'violated-directive'),
        64,
      ),
      blocked: printable(withoutQuery(field('blocked-uri', 'blockedURL')), 200),
      page: printable(pathOf(field('document-uri', 'documentURL')), 200),
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

/**
 * At most `max` characters, with every control character (C0, DEL, C1, and the line and
 * paragraph separators) written as a \uXXXX escape, so a field can never start a new log line.
 */
export function printable(value: string, max: number): string {
  return value.slice(0, max).replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
