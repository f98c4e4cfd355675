/**
 * True when `url` lies under the configured API base URL: same origin and, when the base
 * has a path (`https://host/v1`), inside that path. Paths are compared after URL
 * normalisation, so `/v1/../admin` is outside, and `/v10` is not under `/v1`.
 */
export function isWithinApiBase(url: string, apiBaseUrl: string): boolean {
  if (!URL.canParse(url)) return false;
  const target = new URL(url);
  const base = new URL(apiBaseUrl);
  if (target.origin !== base.origin) return false;
  const root = base.pathname.replace(/\/$/, ''); // '' when the base is the whole origin
  return target.pathname === root || target.pathname.startsWith(`${root}/`);
}
