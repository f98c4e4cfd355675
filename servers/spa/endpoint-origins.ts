// The providers' endpoints may live on other hosts than their issuers (a token endpoint or
// JWKS behind a CDN or another domain): the CSP's connect-src must list those origins
// too, or the SPA could not reach them. Read from each issuer's discovery document at
// server start, retried in the background until it answers (the IdP may start later).

const ENDPOINTS = [
  'token_endpoint',
  'jwks_uri',
  'revocation_endpoint',
  'userinfo_endpoint',
  'authorization_endpoint', // the silent-renew iframe loads it
  'end_session_endpoint',
] as const;

export interface EndpointOrigins {
  /** What is known now: never blocks a request. */
  current(): string[];
  /** Settles once every issuer answered or gave up (for tests and start-up logs). */
  ready: Promise<void>;
  stop(): void;
}

export function discoverEndpointOrigins(
  issuers: readonly string[],
  {
    fetchImpl = fetch,
    retryMs = 2_000,
    attempts = 30,
  }: { fetchImpl?: typeof fetch; retryMs?: number; attempts?: number } = {},
): EndpointOrigins {
  const found = new Set<string>();
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timer.unref();
      timers.add(timer);
    });

  async function discover(issuer: string): Promise<void> {
    const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    for (let attempt = 1; attempt <= attempts && !stopped; attempt += 1) {
      try {
        const response = await fetchImpl(url, { signal: AbortSignal.timeout(3_000) });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const document = (await response.json()) as Record<string, unknown>;
        for (const name of ENDPOINTS) {
          const value = document[name];
          if (typeof value !== 'string' || !URL.canParse(value)) continue;
          const endpoint = new URL(value);
          // IMPORTANT: only https (or loopback http) origins ever enter the policy.
          const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(endpoint.hostname);
          if (endpoint.protocol === 'https:' || (endpoint.protocol === 'http:' && loopback)) {
            found.add(endpoint.origin);
          }
        }
        return;
      } catch {
        if (attempt < attempts) await sleep(retryMs);
      }
    }
  }

  const ready = Promise.all(issuers.map(discover)).then(() => undefined);
  return {
    current: () => [...found],
    ready,
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
    },
  };
}
