export interface BearerChallenge {
  scheme: string;
  params: Record<string, string>;
}

/**
 * Parses the first challenge of a `WWW-Authenticate` header (RFC 9110 §11.6.1), enough
 * for RFC 6750 and RFC 9449: `Bearer realm="x", error="invalid_token", scope="a b"`.
 */
export function parseWwwAuthenticate(header: string | null): BearerChallenge | null {
  if (!header) return null;
  const match = /^\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)\s*(.*)$/s.exec(header);
  if (!match?.[1]) return null;
  const params: Record<string, string> = {};
  // Sticky: stops at the first thing that is not a parameter, such as a second challenge.
  const paramPattern = /\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]+))\s*(?:,|$)/y;
  const rest = match[2] ?? '';
  paramPattern.lastIndex = 0;
  for (let m = paramPattern.exec(rest); m; m = paramPattern.exec(rest)) {
    const name = m[1]?.toLowerCase();
    if (!name || name in params) continue;
    params[name] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
  }
  return { scheme: match[1], params };
}
