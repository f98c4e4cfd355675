// RFC 6750 §2 / RFC 9449 §7.1: where an access token may come from. Only the Authorization
// header is supported (schemes Bearer and DPoP); the URL form is refused because URLs end
// up in logs, history and Referer.
import type { FastifyRequest } from 'fastify';
import { invalidRequest, invalidToken, missingToken } from './problem.ts';

// b64token (RFC 6750 §2.1); anything else cannot be a JWT either.
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

export interface Credentials {
  scheme: 'bearer' | 'dpop';
  token: string;
}

/** The access token of the request, or a Problem thrown in the RFC 6750 §3 shape. */
export function readCredentials(request: FastifyRequest): Credentials {
  const inQuery = hasQueryToken(request.url);
  const headerCount = countHeader(request.raw.rawHeaders, 'authorization');

  if (headerCount > 1) {
    throw invalidRequest('The request carries more than one Authorization header.');
  }
  if (inQuery && headerCount === 1) {
    throw invalidRequest('The request carries an access token in more than one place.');
  }
  if (inQuery) {
    // An unsupported method counts as no credentials: challenge without an error code.
    throw missingToken(
      'Access tokens are accepted only in the Authorization header, never in the URL.',
    );
  }

  const header = request.headers.authorization;
  const match = header ? /^(\S+)(?:\s+(.*))?$/.exec(header) : null;
  const scheme = match?.[1]?.toLowerCase();
  if (scheme !== 'bearer' && scheme !== 'dpop') {
    throw missingToken('This resource needs an access token in an Authorization: Bearer header.');
  }
  const token = match?.[2]?.trim() ?? '';
  if (!B64TOKEN.test(token)) throw invalidToken();
  return { scheme, token };
}

/** Every value of a header, duplicates kept apart (Node joins them in `request.headers`). */
export function headerValues(request: FastifyRequest, name: string): string[] {
  const raw = request.raw.rawHeaders;
  const values: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() === name) values.push(raw[i + 1] ?? '');
  }
  return values;
}

/**
 * Whether the URL's query has an `access_token` parameter. Parsed only when the name could be
 * there: spelled out, or hidden by percent-encoding (`access%5Ftoken`). Saves a URL parse on
 * every request.
 */
function hasQueryToken(url: string): boolean {
  const queryAt = url.indexOf('?');
  if (queryAt === -1) return false;
  const query = url.slice(queryAt);
  if (!query.includes('access_token') && !query.includes('%')) return false;
  return new URL(url, 'http://localhost').searchParams.has('access_token');
}

function countHeader(rawHeaders: readonly string[], name: string): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]?.toLowerCase() === name) count += 1;
  }
  return count;
}
