import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ES256_CLIENT_ID } from './configuration.ts';
import { CookieBrowser, createPkce, formAction, signIn, tickedScopes } from './test-client.ts';
import {
  control,
  credentials,
  refresh,
  SPA,
  signInAs,
  startTestIdp,
  type TestIdp,
} from './test-kit.ts';

let t: TestIdp;
beforeAll(async () => {
  t = await startTestIdp(true);
});
afterAll(() => t?.stop());

const scopeOf = (token: string | undefined) => String(decodeJwt(token ?? '').scope).split(' ');

describe('granular consent', () => {
  it('offers optional scopes as ticked checkboxes, never openid or contacts:read', async () => {
    const browser = new CookieBrowser();
    const auth = new URL('/auth', t.issuer);
    const pkce = createPkce();
    auth.search = new URLSearchParams({
      client_id: 'contacts-spa',
      redirect_uri: `${SPA}/callback`,
      response_type: 'code',
      scope: 'openid profile email offline_access contacts:read contacts:write',
      prompt: 'consent',
      state: 's',
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
    }).toString();
    const { response } = await browser.follow(auth);
    const consent = await browser.follow(formAction(await response.text(), t.issuer), {
      form: credentials('worker2'),
    });
    const html = await consent.response.text();
    expect(html).toContain('<h1>Allow Contacts to access your account?</h1>');
    expect(tickedScopes(html).sort()).toEqual(
      ['contacts:write', 'email', 'offline_access', 'profile'].sort(),
    );
    expect(html).toContain('<li>Know who you are</li>');
    expect(html).toContain('<li>Read your contacts</li>');
  });

  it('gives the app fewer scopes when the user unticks some', async () => {
    const { tokens } = await signInAs(t.issuer, 'worker3', {
      scope: 'openid profile email contacts:read contacts:write',
      untick: ['email', 'contacts:write'],
    });
    expect(scopeOf(tokens.access_token)).toEqual(['contacts:read']);
    const id = decodeJwt(tokens.id_token ?? '');
    expect(id.name).toBe('Worker 3');
    expect(id).not.toHaveProperty('email');
  });
});

describe('remembered consent', () => {
  it('skips the consent page for the same user and client in a new browser, until revoked', async () => {
    const first = await signIn(new CookieBrowser(), {
      issuer: t.issuer,
      spaOrigin: SPA,
      clientId: 'contacts-spa',
      scope: 'openid profile contacts:read',
      ...credentials('worker4'),
    });
    expect(first.consentShown).toBe(true);

    const again = await signIn(new CookieBrowser(), {
      issuer: t.issuer,
      spaOrigin: SPA,
      clientId: 'contacts-spa',
      scope: 'openid profile contacts:read',
      ...credentials('worker4'),
    });
    expect(again.consentShown).toBe(false);
    expect(again.callback.searchParams.has('code')).toBe(true);

    // Another client is another decision.
    const es256 = await signIn(new CookieBrowser(), {
      issuer: t.issuer,
      spaOrigin: SPA,
      clientId: ES256_CLIENT_ID,
      scope: 'openid contacts:read',
      ...credentials('worker4'),
    });
    expect(es256.consentShown).toBe(true);

    // Something new asked: asked again.
    const more = await signInAs(t.issuer, 'worker4', {
      scope: 'openid profile contacts:read contacts:write',
    });
    expect(scopeOf(more.tokens.access_token)).toContain('contacts:write');

    const revoked = await control(t.issuer, 'POST', '/users/worker4/consent/revoke', {
      client: 'contacts-spa',
    });
    expect(revoked.body).toMatchObject({ consents: 1 });
    expect(revoked.body.grants).toBeGreaterThan(0);
    const refused = await refresh(t.issuer, more.tokens.refresh_token);
    expect(refused.body.error).toBe('invalid_grant');
    const after = await signIn(new CookieBrowser(), {
      issuer: t.issuer,
      spaOrigin: SPA,
      clientId: 'contacts-spa',
      scope: 'openid profile contacts:read',
      ...credentials('worker4'),
    });
    expect(after.consentShown).toBe(true);
  });
});

describe('a refused scope, asked again', () => {
  const scope = 'openid profile contacts:read contacts:write';

  it('stays refused without asking, until the app asks with prompt=consent and the user ticks it', async () => {
    const unticked = await signInAs(t.issuer, 'worker6', { scope, untick: ['contacts:write'] });
    expect(scopeOf(unticked.tokens.access_token)).not.toContain('contacts:write');

    // Remembered: no consent page, still no write.
    const quiet = await signIn(new CookieBrowser(), {
      issuer: t.issuer,
      spaOrigin: SPA,
      clientId: 'contacts-spa',
      scope,
      ...credentials('worker6'),
    });
    expect(quiet.consentShown).toBe(false);

    // Asked again: offered ticked; unticked again, it stays refused.
    const declinedAgain = await signInAs(t.issuer, 'worker6', {
      scope,
      authParams: { prompt: 'consent' },
      untick: ['contacts:write'],
    });
    expect(scopeOf(declinedAgain.tokens.access_token)).not.toContain('contacts:write');
    const granted = await signInAs(t.issuer, 'worker6', {
      scope,
      authParams: { prompt: 'consent' },
    });
    expect(scopeOf(granted.tokens.access_token)).toContain('contacts:write');

    // And the grant now carries it without asking.
    const later = await signInAs(t.issuer, 'worker6', { scope });
    expect(scopeOf(later.tokens.access_token)).toContain('contacts:write');
  });

  it('never offers a scope the account is not entitled to, even when asked again', async () => {
    const first = await signInAs(t.issuer, 'bob', { scope });
    expect(scopeOf(first.tokens.access_token)).not.toContain('contacts:write');
    const again = await signInAs(t.issuer, 'bob', { scope, authParams: { prompt: 'consent' } });
    expect(scopeOf(again.tokens.access_token)).not.toContain('contacts:write');
  });
});

describe('seeded accounts', () => {
  it('refuses the disabled account with a clear message, after checking its password', async () => {
    await expect(signInAs(t.issuer, 'dora')).rejects.toThrow('This account is disabled.');
    await expect(signInAs(t.issuer, 'dora', { password: 'not-her-password' })).rejects.toThrow(
      'Wrong username or password.',
    );
  });

  it('gives zoe her unusual claims: non-ASCII name, long family name, no email', async () => {
    const { tokens } = await signInAs(t.issuer, 'zoe');
    const id = decodeJwt(tokens.id_token ?? '');
    expect(id.name).toBe('Zoë Ñúñez-Øberg 李');
    expect(String(id.family_name).length).toBeGreaterThan(150);
    expect(id).not.toHaveProperty('email');
    expect(id).not.toHaveProperty('email_verified');
  });

  it('says in every ID token when the user authenticated (auth_time)', async () => {
    const before = Math.floor(Date.now() / 1000);
    for (const clientId of [undefined, ES256_CLIENT_ID]) {
      const { tokens } = await signInAs(t.issuer, 'worker5', clientId ? { clientId } : {});
      const authTime = decodeJwt(tokens.id_token ?? '').auth_time;
      expect(typeof authTime).toBe('number');
      expect(authTime).toBeGreaterThanOrEqual(before - 5);
      expect(authTime).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 5);
    }
  });

  it('signs ID tokens with ES256 for the ES256 client, RS256 by default', async () => {
    const rs = await signInAs(t.issuer, 'worker5');
    const es = await signInAs(t.issuer, 'worker5', { clientId: ES256_CLIENT_ID });
    const alg = (jwt: string | undefined) =>
      JSON.parse(Buffer.from((jwt ?? '').split('.')[0] ?? '', 'base64url').toString()).alg;
    expect(alg(rs.tokens.id_token)).toBe('RS256');
    expect(alg(es.tokens.id_token)).toBe('ES256');
    expect(alg(es.tokens.access_token)).toBe('RS256'); // the API's tokens stay RS256
  });
});
