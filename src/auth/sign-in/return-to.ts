// Where to send the user after sign-in. Only ever a path on this origin (RFC 9700 §4.11.1):
// anything else falls back to the home page.

const fallback = '/';

export function safeReturnTo(value: unknown, origin: string = window.location.origin): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return fallback;
  // Only absolute paths; "//host" and "/\host" are protocol-relative URLs in browsers.
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  if ([...value].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f))
    return fallback;
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return fallback;
  }
  if (url.origin !== origin) return fallback;
  // Returning to the callback would replay a consumed response.
  if (url.pathname === '/callback') return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The current location as a return path. */
export function currentPath(location: Pick<Location, 'pathname' | 'search' | 'hash'>): string {
  return `${location.pathname}${location.search}${location.hash}`;
}
