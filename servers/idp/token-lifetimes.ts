// Per-user access-token lifetimes, set by QA through the test controls so that one spec can
// run with tokens of a few seconds while the others keep the run's ACCESS_TOKEN_TTL.
// Keyed by subject; empty (and so without effect) unless test mode sets something.
const accessTokenTtls = new Map<string, number>();

export function setAccessTokenTtl(sub: string, seconds: number | null): void {
  if (seconds === null) accessTokenTtls.delete(sub);
  else accessTokenTtls.set(sub, seconds);
}

/** The lifetime for `sub`'s access tokens, or `fallback` when QA set none. */
export function accessTokenTtlFor(sub: string | undefined, fallback: number): number {
  return (sub === undefined ? undefined : accessTokenTtls.get(sub)) ?? fallback;
}
