// The test IdP standing in for a provider with its own names for the contacts scopes
// (IDP_CONTACTS_SCOPES): asked, consented, granted and entitled by those names only.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLocalEnv } from '../local-env.ts';
import { type RunningIdp, startIdp } from './idp.ts';
import { CookieBrowser, signIn } from './test-client.ts';
import { credentials, freePort, SPA, signInAs, testEnv } from './test-kit.ts';

const names = { 'contacts:read': 'read:contacts', 'contacts:write': 'write:contacts' };
let dataDir: string;
let idp: RunningIdp;
let issuer: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'idp-scopes-'));
  const env = { ...testEnv(await freePort(), dataDir), idpContactsScopes: names };
  issuer = env.idpIssuer;
  idp = await startIdp(env, { log: () => {} });
});
afterAll(async () => {
  await idp?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const scopeOf = (jwt: string | undefined) => String(decodeJwt(jwt ?? '').scope).split(' ');

describe('an IdP with its own names for the contacts scopes', () => {
  it('grants and entitles by its names, and never by the API names', async () => {
    const { tokens } = await signInAs(issuer, 'worker6', {
      scope: 'openid profile read:contacts write:contacts contacts:read',
    });
    expect(scopeOf(tokens.access_token)).toEqual(
      expect.arrayContaining(['read:contacts', 'write:contacts']),
    );
    expect(scopeOf(tokens.access_token)).not.toContain('contacts:read');
    expect(decodeJwt(tokens.id_token ?? '').entitlements).toEqual([
      'read:contacts',
      'write:contacts',
    ]);
  });

  it('describes them in words on the consent page, and the read one is not optional', async () => {
    const browser = new CookieBrowser();
    const { consentShown, callback } = await signIn(browser, {
      issuer,
      spaOrigin: SPA,
      clientId: 'contacts-spa',
      scope: 'openid read:contacts write:contacts',
      ...credentials('worker7'),
      untick: ['read:contacts', 'write:contacts'],
    });
    expect(consentShown).toBe(true);
    expect(callback.searchParams.has('code')).toBe(true);
  });

  it('refuses IDP_CONTACTS_SCOPES that are not two distinct scope names', () => {
    for (const raw of ['one', 'a b c', 'same same', 'has"quote x']) {
      expect(() => readLocalEnv({ IDP_CONTACTS_SCOPES: raw })).toThrow('IDP_CONTACTS_SCOPES');
    }
    expect(readLocalEnv({ IDP_CONTACTS_SCOPES: ' read:c  write:c ' }).idpContactsScopes).toEqual({
      'contacts:read': 'read:c',
      'contacts:write': 'write:c',
    });
  });
});
