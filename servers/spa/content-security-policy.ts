// The SPA's Content Security Policy, derived from the runtime config it serves: scripts
// and styles only from this origin, network access only to the configured providers
// and API.

interface ConfigOrigins {
  providers?: { issuer?: unknown }[];
  api?: { baseUrl?: unknown };
}

function originOf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : null;
  } catch {
    return null;
  }
}

/** Origins the SPA talks to; an unreadable config yields none (the SPA then shows its error). */
export function configuredOrigins(config: unknown): { providers: string[]; api: string[] } {
  const typed = (typeof config === 'object' && config !== null ? config : {}) as ConfigOrigins;
  const providers = Array.isArray(typed.providers)
    ? typed.providers.map((provider) => originOf(provider?.issuer))
    : [];
  const unique = (list: (string | null)[]) => [...new Set(list.filter((o): o is string => !!o))];
  return { providers: unique(providers), api: unique([originOf(typed.api?.baseUrl)]) };
}

export function contentSecurityPolicy(config: unknown): string {
  const { providers, api } = configuredOrigins(config);
  const connect = ["'self'", ...providers, ...api];
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "manifest-src 'self'",
    `connect-src ${[...new Set(connect)].join(' ')}`,
    // The hidden-iframe renew loads the provider, which redirects back to this origin.
    `frame-src 'self' ${providers.join(' ')}`.trim(),
    "frame-ancestors 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}
