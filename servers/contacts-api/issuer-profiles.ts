// ISSUER_PROFILES: how each trusted issuer shapes its access tokens, as JSON keyed by issuer:
//   {"https://login.microsoftonline.com/<tenant>/v2.0": {"profile": "entra",
//     "audience": "<the API's client id>",
//     "scopes": {"contacts:read": "Contacts.Read", "contacts:write": "Contacts.Write"}}}
// An issuer not named gets the strict RFC 9068 profile, the API's resource as audience and
// the API's own scope names. A bad value stops the API at start, naming the variable.
import { PROFILE_NAMES, type ProfileName } from './access-token-profiles.ts';
import { API_SCOPES, type ScopeNames } from './verify-access-token.ts';

export interface IssuerProfile {
  profile: ProfileName;
  audience?: string;
  scopeNames?: ScopeNames;
}

const VARIABLE = 'ISSUER_PROFILES';
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isScopeName = (value: unknown): value is string =>
  typeof value === 'string' && /^[\x21\x23-\x5B\x5D-\x7E]+$/.test(value);

export function readIssuerProfiles(
  raw: string | undefined,
  trustedIssuers: readonly string[],
): Map<string, IssuerProfile> {
  const profiles = new Map<string, IssuerProfile>();
  if (!raw?.trim()) return profiles;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(`${VARIABLE} must be a JSON object keyed by issuer`);
  }
  if (!isRecord(parsed)) throw new Error(`${VARIABLE} must be a JSON object keyed by issuer`);
  for (const [issuer, entry] of Object.entries(parsed)) {
    const where = `${VARIABLE}["${issuer}"]`;
    if (!trustedIssuers.includes(issuer)) {
      throw new Error(`${where}: not one of TRUSTED_ISSUERS`);
    }
    if (!isRecord(entry)) throw new Error(`${where} must be an object`);
    const unknown = Object.keys(entry).filter(
      (key) => !['profile', 'audience', 'scopes'].includes(key),
    );
    if (unknown.length > 0) throw new Error(`${where}.${unknown[0]} is not a known setting`);
    const { profile, audience, scopes } = entry;
    if (!PROFILE_NAMES.includes(profile as ProfileName)) {
      throw new Error(`${where}.profile must be one of ${PROFILE_NAMES.join(', ')}`);
    }
    if (audience !== undefined && (typeof audience !== 'string' || audience === '')) {
      throw new Error(`${where}.audience must be a non-empty string`);
    }
    let scopeNames: ScopeNames | undefined;
    if (scopes !== undefined) {
      if (!isRecord(scopes) || !API_SCOPES.every((scope) => isScopeName(scopes[scope]))) {
        throw new Error(
          `${where}.scopes must name the provider's scope for each of ${API_SCOPES.join(' and ')}`,
        );
      }
      scopeNames = {
        'contacts:read': String(scopes['contacts:read']),
        'contacts:write': String(scopes['contacts:write']),
      };
    }
    profiles.set(issuer, {
      profile: profile as ProfileName,
      ...(typeof audience === 'string' ? { audience } : {}),
      ...(scopeNames ? { scopeNames } : {}),
    });
  }
  return profiles;
}
