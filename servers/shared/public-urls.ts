// Public URLs and listen addresses from the environment, checked once at start. A server
// that would advertise a URL nobody can reach, or check DPoP proofs against the wrong one,
// must not start: each bad value stops it with one line naming the variable.
import { isIP } from 'node:net';

/** Hosts for which plain http is acceptable even in production (this machine only). */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname);
}

/**
 * An origin (`scheme://host[:port]`) read from `name`: http or https, no path, query,
 * fragment or credentials, written exactly as browsers serialise it (so that it compares
 * equal to an `Origin` header, an issuer in a token, a DPoP proof's `htu`). In production,
 * http only for localhost / 127.0.0.1.
 */
export function originFromEnv(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: string,
  { production }: { production: boolean },
): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  return checkOrigin(name, raw, { production });
}

export function checkOrigin(
  name: string,
  raw: string,
  { production }: { production: boolean },
): string {
  if (!URL.canParse(raw)) {
    throw new Error(`${name} must be a URL such as https://app.example.com, got "${raw}"`);
  }
  const url = new URL(raw);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`${name} must be an http or https URL, got "${raw}"`);
  }
  if (url.username || url.password) {
    throw new Error(`${name} must not carry a user name or password, got "${url.origin}"`);
  }
  if (url.pathname !== '/' || url.search || url.hash || /[/?#]$/.test(raw)) {
    throw new Error(
      `${name} must be an origin (scheme://host[:port]) without a path, query or fragment, got "${raw}"`,
    );
  }
  if (url.origin !== raw) {
    // Upper-case host, default port, IDN: they would never compare equal to what browsers send.
    throw new Error(`${name} must be written as "${url.origin}", got "${raw}"`);
  }
  if (production && url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new Error(
      `${name} must be https in production (NODE_ENV=production), except for localhost; got "${raw}"`,
    );
  }
  return raw;
}

/** A host name or IP address to listen on, read from `name` (e.g. 127.0.0.1, 0.0.0.0, ::). */
export function listenHostFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const hostname =
    /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
  if (isIP(raw) === 0 && !hostname.test(raw)) {
    throw new Error(
      `${name} must be a host name or IP address to listen on (such as 127.0.0.1, 0.0.0.0 or ::), got "${raw}"`,
    );
  }
  return raw;
}
