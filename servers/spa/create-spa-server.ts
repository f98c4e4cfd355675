import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { type LogDestination, logRequests, requestLogOptions } from '../shared/request-log.ts';
import { trustProxyOption } from '../shared/trusted-proxies.ts';
import {
  contentSecurityPolicy,
  TRUSTED_TYPES,
  TRUSTED_TYPES_REPORT_ONLY,
  type TrustedTypesMode,
} from './content-security-policy.ts';
import { type CspReportLimit, type CspViolation, registerCspReports } from './csp-reports.ts';

export interface SpaServerOptions {
  /** The Vite build output. */
  distDir: string;
  /** The runtime config to serve as /config.json (defaults to the built one). */
  configPath?: string | undefined;
  /** The runtime config itself (SPA_CONFIG); wins over configPath. */
  configText?: string | undefined;
  /** The runtime config as it is now (live-config.ts: re-read when its file changes); wins over both. */
  readConfig?: () => string;
  /** JSON request lines (shared/request-log.ts) to this destination; default none. */
  requestLog?: LogDestination;
  /** Origins of the providers' endpoints found in their discovery documents (main.ts). */
  endpointOrigins?: () => readonly string[];
  /** Default 'enforce'; 'report-only' for the e2e suite (content-security-policy.ts). */
  trustedTypes?: TrustedTypesMode;
  /** Where CSP violation reports go; default one line on stdout. */
  onViolation?: (violation: CspViolation) => void;
  /** Reports accepted per client address (SPA_CSP_REPORTS_PER_MINUTE); default 60 a minute. */
  cspReportLimit?: CspReportLimit;
  /**
   * SPA_TRUSTED_PROXIES: the proxies in front (shared/trusted-proxies.ts). Only from them is
   * the client address, the CSP report limit's key, read from X-Forwarded-For. Default none:
   * behind a proxy every client then shares the proxy's one budget.
   */
  trustedProxies?: readonly string[];
}

/** The silent-renew page (oidc-client-ts's silent_redirect_uri): framed by the app itself. */
const SILENT_RENEW_PATH = '/callback';

const securityHeaders = {
  'X-Content-Type-Options': 'nosniff',
  // IMPORTANT: the callback URL holds the authorization code; never send it as a Referer.
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

/** Serves the built SPA with security headers, its runtime config and history fallback. */
export async function createSpaServer(options: SpaServerOptions): Promise<FastifyInstance> {
  const configPath = options.configPath ?? path.join(options.distDir, 'config.json');
  const fixedText = options.readConfig
    ? ''
    : (options.configText ?? (await readFile(configPath, 'utf8')));
  const readConfig = options.readConfig ?? (() => fixedText);
  let parsedFor: { text: string | undefined; parsed: unknown } = { text: undefined, parsed: null };
  const parsedConfig = (text: string) => {
    if (parsedFor.text !== text) {
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Served as is: the SPA shows a readable error screen for it.
      }
      parsedFor = { text, parsed };
    }
    return parsedFor.parsed;
  };
  const endpointOrigins = options.endpointOrigins ?? (() => []);
  // Rebuilt only when the config changed or discovery has found more origins.
  let policies = { key: '', page: '', silentRenew: '' };
  const policyFor = (pathname: string) => {
    const origins = endpointOrigins();
    const text = readConfig();
    const parsed = parsedConfig(text);
    const key = `${origins.join(' ')}\n${text}`;
    if (policies.page === '' || policies.key !== key) {
      policies = {
        key,
        page: contentSecurityPolicy(parsed, { endpointOrigins: origins }),
        silentRenew: contentSecurityPolicy(parsed, {
          endpointOrigins: origins,
          frameableBySelf: true,
        }),
      };
    }
    const policy = pathname === SILENT_RENEW_PATH ? policies.silentRenew : policies.page;
    return enforceTrustedTypes ? `${policy}; ${TRUSTED_TYPES}` : policy;
  };
  const enforceTrustedTypes = options.trustedTypes !== 'report-only';
  const indexHtml = await readFile(path.join(options.distDir, 'index.html'), 'utf8');

  const app = Fastify({
    ...(options.requestLog ? requestLogOptions(options.requestLog) : { logger: false }),
    trustProxy: trustProxyOption(options.trustedProxies ?? []),
  });
  if (options.requestLog) {
    // The page's path too (client routes share one route); never its query: /callback has the code.
    logRequests(app, (request) => ({ path: request.url.split('?')[0] }));
  }
  app.addHook('onSend', async (request, reply) => {
    const pathname = request.url.split('?')[0] ?? '';
    reply.headers(securityHeaders);
    reply.header('Content-Security-Policy', policyFor(pathname));
    if (!enforceTrustedTypes) {
      reply.header('Content-Security-Policy-Report-Only', TRUSTED_TYPES_REPORT_ONLY);
    }
    // For browsers without frame-ancestors; same rule.
    reply.header('X-Frame-Options', pathname === SILENT_RENEW_PATH ? 'SAMEORIGIN' : 'DENY');
  });
  await registerCspReports(
    app,
    options.onViolation ??
      ((v) => console.log(`SPA: CSP violation: ${v.directive} blocked ${v.blocked} on ${v.page}`)),
    options.cspReportLimit,
  );

  app.get('/config.json', async (_request, reply) =>
    reply
      .type('application/json; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .send(readConfig()),
  );

  await app.register(fastifyStatic, {
    root: options.distDir,
    index: false,
    wildcard: true,
    cacheControl: false, // set per file below
    setHeaders: (res, filePath) => {
      const immutable = filePath.includes(`${path.sep}assets${path.sep}`);
      res.setHeader(
        'Cache-Control',
        immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });

  const sendIndex = (reply: import('fastify').FastifyReply) =>
    reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-cache').send(indexHtml);

  app.get('/', async (_request, reply) => sendIndex(reply));
  // Client-side routes get the app; missing files (anything with an extension) get a 404.
  app.setNotFoundHandler(async (request, reply) => {
    const pathname = request.url.split('?')[0] ?? '';
    if (request.method === 'GET' && !path.extname(pathname)) return sendIndex(reply);
    return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
  });
  return app;
}
