// Where to send the user after sign-in. Only ever a path on this origin (RFC 9700 §4.11.1):
// anything else falls back to the home page.

const fallback = '/';
const MAX_LENGTH = 2048;

/** An absolute path of this origin as it stands: never `//host` or `/\host`, which browsers
 * read as protocol-relative URLs, and no control characters. */
function looksLikeOwnPath(value: string): boolean {
  if (value.length === 0 || value.length > MAX_LENGTH) return false;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return false;
  return ![...value].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f);
}

/**
 * The path to return to, normalised as the browser will read it; `/` when that is not a path
 * of this origin. IMPORTANT: the checks run again on the normalised path, since normalising
 * can make one (`/a/..//evil.example` becomes `//evil.example`); so the result is a fixed
 * point: safeReturnTo(safeReturnTo(x)) === safeReturnTo(x).
 */
export function safeReturnTo(value: unknown, origin: string = window.location.origin): string {
  if (typeof value !== 'string' || !looksLikeOwnPath(value)) return fallback;
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return fallback;
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (url.origin !== origin || !looksLikeOwnPath(path)) return fallback;
  // Returning to the callback would replay a consumed response.
  return url.pathname === '/callback' ? fallback : path;
}

/** The current location as a return path. */
export function currentPath(location: Pick<Location, 'pathname' | 'search' | 'hash'>): string {
  return `${location.pathname}${location.search}${location.hash}`;
}
