// The SPA's Content Security Policy, derived from the runtime config it serves (and the
// providers' discovery documents, see endpoint-origins.ts): scripts and styles only from
// this origin, network access only to the configured providers and API, no framing except
// the silent-renew page by the app itself, Trusted Types for every DOM script sink, and
// violations reported to this server.

interface ConfigOrigins {
  providers?: { issuer?: unknown }[];
  api?: { baseUrl?: unknown };
}

/** Where browsers send violation reports (csp-reports.ts). */
export const CSP_REPORT_PATH = '/csp-report';

export function originOf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : null;
  } catch {
    return null;
  }
}

const unique = (list: readonly (string | null | undefined)[]) => [
  ...new Set(list.filter((o): o is string => !!o)),
];

/** Origins the SPA talks to; an unreadable config yields none (the SPA then shows its error). */
export function configuredOrigins(config: unknown): {
  providers: string[];
  api: string[];
  issuers: string[];
} {
  const typed = (typeof config === 'object' && config !== null ? config : {}) as ConfigOrigins;
  const issuers = Array.isArray(typed.providers)
    ? typed.providers.map((provider) => provider?.issuer).filter((i) => typeof i === 'string')
    : [];
  return {
    providers: unique(issuers.map(originOf)),
    api: unique([originOf(typed.api?.baseUrl)]),
    issuers: issuers as string[],
  };
}

export interface PolicyOptions {
  /** Origins of the providers' endpoints (token, JWKS, revocation…) beyond their issuers'. */
  endpointOrigins?: readonly string[];
  /** The silent-renew page: the app itself may frame it, nobody else. Default false. */
  frameableBySelf?: boolean;
}

export function contentSecurityPolicy(config: unknown, options: PolicyOptions = {}): string {
  const { providers, api } = configuredOrigins(config);
  const providerOrigins = unique([...providers, ...(options.endpointOrigins ?? [])]);
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "manifest-src 'self'",
    `connect-src ${unique(["'self'", ...providerOrigins, ...api]).join(' ')}`,
    // The hidden-iframe renew loads the provider, which redirects back to this origin.
    `frame-src ${unique(["'self'", ...providerOrigins]).join(' ')}`,
    `frame-ancestors ${options.frameableBySelf ? "'self'" : "'none'"}`,
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    // report-uri (not report-to): Chromium sends these at once; Reporting API batches.
    `report-uri ${CSP_REPORT_PATH}`,
  ].join('; ');
}

/** Trusted Types: no HTML or script string may reach a DOM sink (React 19 and the bundle use none). */
export const TRUSTED_TYPES = "require-trusted-types-for 'script'; trusted-types 'none'";

/**
 * Enforced by default. `report-only` exists for the e2e suite: enforcing breaks Playwright's
 * clock emulation, which the session specs need; there a whole journey asserts that no
 * violation is reported, so enforcing cannot break the app.
 */
export type TrustedTypesMode = 'enforce' | 'report-only';

export const TRUSTED_TYPES_REPORT_ONLY = `${TRUSTED_TYPES}; report-uri ${CSP_REPORT_PATH}`;
