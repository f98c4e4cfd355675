// Each provider's access tokens, shaped as its documentation shows them (header and claims),
// signed by a local key: accepted when right; refused for another audience, the provider's
// own ID token presented as an access token, an expired token, and the scope claim of
// another profile; a token without the scope grants nothing.
import { randomUUID } from 'node:crypto';
import { type JWTPayload, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProfileName } from './access-token-profiles.ts';
import { createTestKeys, type TestKeys } from './test-tokens.ts';
import {
  type AccessTokenVerifier,
  createAccessTokenVerifier,
  InvalidTokenError,
  type ScopeNames,
} from './verify-access-token.ts';

const now = () => Math.floor(Date.now() / 1000);
const SPA = 'spa-client-id';

interface Provider {
  issuer: string;
  /** What `aud` must hold for this API at that provider. */
  audience: string;
  scopeNames?: ScopeNames;
  header: Record<string, unknown>;
  /** An access token's claims granting both of the API's scopes. */
  access(sub: string): JWTPayload;
  /** The same provider's ID token for the same sign-in. */
  idToken(sub: string): JWTPayload;
  /**
   * The access token granting the API's scopes only in another provider's scope claim (its
   * own claim kept where the profile requires it, holding nothing of the API's).
   */
  foreignScopeClaim(token: JWTPayload): JWTPayload;
  /** The access token without the write scope. */
  readOnly(token: JWTPayload): JWTPayload;
}

const times = () => ({ iat: now(), nbf: now(), exp: now() + 300 });
const without = (token: JWTPayload, ...claims: string[]) =>
  Object.fromEntries(Object.entries(token).filter(([claim]) => !claims.includes(claim)));

const PROVIDERS: Record<ProfileName, Provider> = {
  rfc9068: {
    issuer: 'https://tenant.auth0.example/',
    audience: 'https://contacts.example',
    header: { typ: 'at+jwt' },
    access: (sub) => ({
      iss: 'https://tenant.auth0.example/',
      sub,
      aud: ['https://contacts.example', 'https://tenant.auth0.example/userinfo'],
      client_id: SPA,
      scope: 'openid contacts:read contacts:write',
      jti: randomUUID(),
      ...times(),
    }),
    idToken: (sub) => ({ iss: 'https://tenant.auth0.example/', sub, aud: SPA, ...times() }),
    foreignScopeClaim: (token) => ({ ...without(token, 'scope'), scp: ['contacts:read'] }),
    readOnly: (token) => ({ ...token, scope: 'openid contacts:read' }),
  },
  keycloak: {
    issuer: 'https://keycloak.example/realms/corp',
    audience: 'contacts-api',
    header: { typ: 'JWT' },
    access: (sub) => ({
      iss: 'https://keycloak.example/realms/corp',
      sub,
      aud: ['contacts-api', 'account'],
      typ: 'Bearer',
      azp: SPA,
      scope: 'openid profile contacts:read contacts:write',
      jti: randomUUID(),
      sid: randomUUID(),
      ...times(),
    }),
    idToken: (sub) => ({
      iss: 'https://keycloak.example/realms/corp',
      sub,
      aud: ['contacts-api', SPA], // even an ID token that names the API is not an access token
      typ: 'ID',
      azp: SPA,
      scope: 'openid contacts:read contacts:write',
      jti: randomUUID(),
      ...times(),
    }),
    foreignScopeClaim: (token) => ({ ...token, scope: 'openid profile', scp: 'contacts:read' }),
    readOnly: (token) => ({ ...token, scope: 'openid profile contacts:read' }),
  },
  entra: {
    issuer: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0',
    audience: '11111111-2222-3333-4444-555555555555',
    scopeNames: { 'contacts:read': 'Contacts.Read', 'contacts:write': 'Contacts.Write' },
    header: { typ: 'JWT' },
    access: (sub) => ({
      iss: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0',
      sub,
      aud: '11111111-2222-3333-4444-555555555555',
      azp: SPA,
      azpacr: '0',
      scp: 'Contacts.Read Contacts.Write',
      ver: '2.0',
      oid: randomUUID(),
      tid: '00000000-0000-0000-0000-000000000001',
      uti: 'AbCdEf',
      ...times(),
    }),
    idToken: (sub) => ({
      iss: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0',
      sub,
      aud: '11111111-2222-3333-4444-555555555555',
      ver: '2.0',
      nonce: 'n',
      ...times(),
    }),
    foreignScopeClaim: (token) => ({ ...token, scp: 'User.Read', scope: 'Contacts.Read' }),
    readOnly: (token) => ({ ...token, scp: 'Contacts.Read' }),
  },
  okta: {
    issuer: 'https://corp.okta.example/oauth2/default',
    audience: 'api://contacts',
    scopeNames: { 'contacts:read': 'contacts.read', 'contacts:write': 'contacts.write' },
    header: {}, // Okta's documented header: kid and alg only
    access: (sub) => ({
      ver: 1,
      jti: `AT.${randomUUID()}`,
      iss: 'https://corp.okta.example/oauth2/default',
      aud: 'api://contacts',
      cid: SPA,
      uid: '00uid4BxXw6I6TV4m0g3',
      scp: ['openid', 'contacts.read', 'contacts.write'],
      sub,
      ...times(),
    }),
    idToken: (sub) => ({
      ver: 1,
      jti: `ID.${randomUUID()}`,
      iss: 'https://corp.okta.example/oauth2/default',
      aud: 'api://contacts',
      sub,
      amr: ['pwd'],
      idp: '00oid',
      auth_time: now(),
      ...times(),
    }),
    foreignScopeClaim: (token) => ({
      ...token,
      scp: ['openid'],
      scope: 'contacts.read contacts.write',
    }),
    readOnly: (token) => ({ ...token, scp: ['openid', 'contacts.read'] }),
  },
  zitadel: {
    issuer: 'https://corp.zitadel.example',
    audience: '170086824411201793',
    header: { typ: 'JWT' },
    access: (sub) => ({
      iss: 'https://corp.zitadel.example',
      sub,
      aud: ['170086824411201793', '170086862092313601@contacts'],
      azp: SPA,
      client_id: SPA,
      jti: randomUUID(),
      'urn:zitadel:iam:org:project:roles': {
        'contacts:read': { '1700': 'corp.zitadel.example' },
        'contacts:write': { '1700': 'corp.zitadel.example' },
      },
      ...times(),
    }),
    idToken: (sub) => ({
      iss: 'https://corp.zitadel.example',
      sub,
      aud: ['170086824411201793', SPA],
      azp: SPA,
      jti: randomUUID(),
      amr: ['password', 'pwd'],
      auth_time: now(),
      'urn:zitadel:iam:org:project:roles': { 'contacts:read': { '1700': 'corp' } },
      ...times(),
    }),
    foreignScopeClaim: (token) => ({
      ...without(token, 'urn:zitadel:iam:org:project:roles'),
      scope: 'contacts:read contacts:write',
    }),
    readOnly: (token) => ({
      ...token,
      'urn:zitadel:iam:org:project:roles': { 'contacts:read': { '1700': 'corp' } },
    }),
  },
};

let keys: TestKeys;
beforeAll(async () => {
  keys = await createTestKeys();
});

const sign = (header: Record<string, unknown>, payload: JWTPayload) =>
  new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', kid: keys.rsa.kid, ...header })
    .sign(keys.rsa.privateKey);

describe.each(Object.entries(PROVIDERS) as [ProfileName, Provider][])(
  'the %s profile',
  (profile, provider) => {
    // Made in each test (see verify-access-token.test.ts: a failing beforeAll is no failure
    // to the mutation gate's runner).
    const verify: AccessTokenVerifier = (token) =>
      createAccessTokenVerifier({
        issuers: [
          {
            issuer: provider.issuer,
            getKey: keys.getKey,
            profile,
            audience: provider.audience,
            ...(provider.scopeNames ? { scopeNames: provider.scopeNames } : {}),
          },
        ],
        audience: 'https://not-this-one.example',
      })(token);
    const refusal = async (header: Record<string, unknown>, payload: JWTPayload) => {
      const error = await verify(await sign(header, payload)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidTokenError);
      return ((error as InvalidTokenError).cause as { claim?: string } | undefined)?.claim;
    };

    it("accepts the provider's access token: subject, client and the API's scopes", async () => {
      const token = await verify(await sign(provider.header, provider.access('ada')));
      expect(token).toMatchObject({ subject: 'ada', clientId: SPA, issuer: provider.issuer });
      expect(token.scopes).toEqual(new Set(['contacts:read', 'contacts:write']));
      expect(token.scopeName('contacts:write')).toBe(
        provider.scopeNames?.['contacts:write'] ?? 'contacts:write',
      );
    });

    it('refuses it for another audience', async () => {
      const token = { ...provider.access('ada'), aud: 'https://another-api.example' };
      expect(await refusal(provider.header, token)).toBe('aud');
    });

    it("refuses the provider's ID token presented as an access token", async () => {
      expect(await refusal(provider.header, provider.idToken('ada'))).toBeTruthy();
    });

    it('refuses an expired token', async () => {
      const token = { ...provider.access('ada'), iat: now() - 900, exp: now() - 600 };
      expect(await refusal(provider.header, token)).toBe('exp');
    });

    it('grants nothing through the scope claim of another profile', async () => {
      const foreign = provider.foreignScopeClaim(provider.access('ada'));
      const verified = await verify(await sign(provider.header, foreign)).catch(() => null);
      expect(verified?.scopes.size ?? 0).toBe(0);
    });

    it('without the write scope, the token reads but does not write', async () => {
      const token = await verify(
        await sign(provider.header, provider.readOnly(provider.access('ada'))),
      );
      expect(token.scopes).toEqual(new Set(['contacts:read']));
    });
  },
);
