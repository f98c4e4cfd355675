// An auth_time that cannot be true says nothing about when the user signed in: 0 (Glewlwyd
// sends it when the cookie it reads it from is missing, as on a CORS token request), not a
// positive whole number, or later than now beyond the clock tolerance.

/** The auth_time when it can be true, else undefined ("not given"). */
export function plausibleAuthTime(
  authTime: unknown,
  nowSeconds: number,
  toleranceSeconds: number,
): number | undefined {
  if (typeof authTime !== 'number' || !Number.isSafeInteger(authTime) || authTime <= 0) {
    return undefined;
  }
  return authTime > nowSeconds + toleranceSeconds ? undefined : authTime;
}
