// A scope the user once refused is remembered as refused (oidc-provider counts it as
// "encountered", so no consent prompt returns for it). When the app asks again on the
// user's explicit request (prompt=consent), the consent page offers it again, and ticking
// it lifts the refusal: oidc-provider has no API for that, so the grant's `rejected`
// record is edited here.
import type { Grant } from 'oidc-provider';

interface RejectedRecord {
  openid?: { scope?: string };
  resources?: Record<string, string>;
}

const rejectedOf = (grant: Grant) =>
  (grant as unknown as { rejected?: RejectedRecord }).rejected ?? {};

/** The requested scopes this grant holds as refused (OIDC scopes and resource scopes). */
export function refusedScopes(grant: Grant | undefined, requested: ReadonlySet<string>): string[] {
  if (!grant) return [];
  const { openid, resources = {} } = rejectedOf(grant);
  const refused = [openid?.scope ?? '', ...Object.values(resources)]
    .flatMap((scopes) => scopes.split(' '))
    .filter((scope) => scope && requested.has(scope));
  return [...new Set(refused)];
}

/** Lifts the refusal of `scopes` and grants them where they were refused. */
export function grantRefused(grant: Grant, scopes: ReadonlySet<string>): void {
  const rejected = rejectedOf(grant);
  const split = (value = '') => {
    const all = value.split(' ').filter(Boolean);
    return [all.filter((s) => scopes.has(s)), all.filter((s) => !scopes.has(s))] as const;
  };
  if (rejected.openid) {
    const [lifted, kept] = split(rejected.openid.scope);
    rejected.openid.scope = kept.join(' ');
    if (lifted.length > 0) grant.addOIDCScope(lifted.join(' '));
  }
  for (const [resource, value] of Object.entries(rejected.resources ?? {})) {
    const [lifted, kept] = split(value);
    rejected.resources = { ...rejected.resources, [resource]: kept.join(' ') };
    if (lifted.length > 0) grant.addResourceScope(resource, lifted.join(' '));
  }
}
