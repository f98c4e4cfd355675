// Which peers may say who the client is: the proxies in front of a server (API_TRUSTED_PROXIES
// for the contacts API, SPA_TRUSTED_PROXIES for the SPA server). Only a request from one of
// them has its client address (request.ip, the key of the per-address rate limits) taken
// from X-Forwarded-For; from any other peer the header is ignored, so a client cannot pick
// its own rate-limit key.
import { isIP } from 'node:net';

/** proxy-addr's names for ranges, as Fastify's trustProxy accepts them. */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** The comma-separated addresses or CIDR ranges in `env[name]`; none when unset. */
export function readTrustedProxies(env: NodeJS.ProcessEnv, name: string): string[] {
  const raw = env[name]?.trim();
  if (!raw) return [];
  const entries = raw.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const [address = '', prefix, extra] = entry.split('/');
    const version = isIP(address);
    const prefixOk =
      prefix === undefined ||
      (/^[0-9]{1,3}$/.test(prefix) && Number(prefix) <= (version === 6 ? 128 : 32));
    if (!RANGE_NAMES.has(entry) && !(version !== 0 && prefixOk && extra === undefined)) {
      throw new Error(
        `${name} must list IP addresses or CIDR ranges (or loopback, linklocal, uniquelocal), got "${entry}"`,
      );
    }
  }
  return entries;
}

/** Fastify's `trustProxy` for that list. */
export function trustProxyOption(trusted: readonly string[]): string[] | false {
  // IMPORTANT: never `true`: any client could then pick its address, and its rate limit key.
  return trusted.length > 0 ? [...trusted] : false;
}
