import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { User, UserManager } from 'oidc-client-ts';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { correctedClock } from '../../lib/clock.ts';
import { IdTokenError } from '../id-token/id-token-error.ts';
import { requireReauthentication } from '../sign-in/reauthentication.ts';
import { SignInError } from '../sign-in/sign-in-error.ts';
import type { ProviderMetadata, ProviderTrust } from './provider-trust.ts';
import { ValidatingUserManager } from './validating-user-manager.ts';

const issuer = 'https://idp.example';
const clientId = 'contacts-spa';
let privateKey: CryptoKey;
let keys: ReturnType<typeof createLocalJWKSet>;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  keys = createLocalJWKSet({
    keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' }],
  });
});

const nowSeconds = () => Math.floor(Date.now() / 1000);
const idToken = (claims: Record<string, unknown> = {}) =>
  new SignJWT({
    iss: issuer,
    aud: clientId,
    sub: 'alice',
    iat: nowSeconds(),
    exp: nowSeconds() + 300,
    nonce: 'n1',
    ...claims,
  })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .sign(privateKey);

function manager(
  metadata: ProviderMetadata = { issuer, authorization_response_iss_parameter_supported: true },
) {
  const trust: ProviderTrust = {
    metadata: vi.fn(async () => metadata),
    keys: async () => keys,
    algorithms: async () => ['RS256'],
    prefetch: vi.fn(),
  };
  const um = new ValidatingUserManager(
    {
      authority: issuer,
      client_id: clientId,
      redirect_uri: 'http://localhost/callback',
      automaticSilentRenew: false,
    },
    { issuer, clientId, clock: correctedClock(0), clockToleranceSeconds: 120 },
    trust,
  );
  return { um, trust };
}

const userWith = async (
  claims: Record<string, unknown> = {},
  nonce = 'n1',
  requestState: Record<string, unknown> = {},
) =>
  new User({
    id_token: await idToken(claims),
    access_token: 'at',
    token_type: 'Bearer',
    profile: { sub: String(claims.sub ?? 'alice'), iss: issuer, aud: clientId, exp: 0, iat: 0 },
    userState: { nonce, returnTo: '/', ...requestState },
  });

beforeEach(() => sessionStorage.clear());

describe('ValidatingUserManager.storeUser', () => {
  it('stores a user whose ID token validates', async () => {
    const { um } = manager();
    await um.storeUser(await userWith());
    expect((await um.getUser())?.profile.sub).toBe('alice');
  });

  it.each([
    ['another nonce', { nonce: 'attacker' }, 'nonce'],
    ['another issuer', { iss: 'https://evil.example' }, 'iss'],
    ['another audience', { aud: 'other' }, 'aud'],
    ['an expired token', { exp: nowSeconds() - 600 }, 'exp'],
  ])('stores nothing for %s', async (_name, claims, rule) => {
    const { um } = manager();
    const error = await um.storeUser(await userWith(claims)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdTokenError);
    expect((error as IdTokenError).rule).toBe(rule);
    expect(await um.getUser()).toBeNull();
  });

  it('ends the session when a renewal brings an ID token for another user', async () => {
    const { um } = manager();
    await um.storeUser(await userWith());
    const unloaded = vi.fn();
    um.events.addUserUnloaded(unloaded);
    const error = await um.storeUser(await userWith({ sub: 'mallory' })).catch((e: unknown) => e);
    expect((error as IdTokenError).rule).toBe('renewal_sub');
    expect(await um.getUser()).toBeNull();
    expect(unloaded).toHaveBeenCalled();
  });

  it('accepts a renewal that keeps the ID token it already validated', async () => {
    const { um } = manager();
    const first = await userWith();
    await um.storeUser(first);
    const renewed = new User({ ...first, access_token: 'at-2', userState: first.state });
    await um.storeUser(renewed);
    expect((await um.getUser())?.access_token).toBe('at-2');
  });

  it('accepts a renewed ID token with the first nonce, although the stored user has no request state', async () => {
    const { um } = manager();
    await um.storeUser(await userWith());
    const withState = await userWith({ iat: nowSeconds() + 1 });
    const renewed = new User({ ...withState, userState: undefined });
    await um.storeUser(renewed);
    expect((await um.getUser())?.id_token).toBe(renewed.id_token);
  });

  it('ends the session when a renewed ID token carries another nonce', async () => {
    const { um } = manager();
    await um.storeUser(await userWith());
    const error = await um.storeUser(await userWith({ nonce: 'other' })).catch((e: unknown) => e);
    expect((error as IdTokenError).rule).toBe('nonce');
    expect(await um.getUser()).toBeNull();
  });

  it('accepts a renewed ID token without a nonce for the same user', async () => {
    const { um } = manager();
    await um.storeUser(await userWith());
    await um.storeUser(await userWith({ nonce: undefined }));
    expect((await um.getUser())?.profile.sub).toBe('alice');
  });
});

describe('what ValidatingUserManager keeps of a stored user', () => {
  it('the lifetime read when it was stored, and its token as a credential', async () => {
    const { um } = manager();
    const user = await userWith();
    user.expires_in = 300;
    await um.storeUser(user);
    // expires_in counts whole seconds down from when it was set.
    expect(um.lifetimeOf(user)).toBeGreaterThanOrEqual(299_000);
    expect(um.lifetimeOf(user)).toBeLessThanOrEqual(300_000);
    expect(await um.credential()).toEqual({ token: 'at', scheme: 'Bearer' });
  });

  it('no credential without a user, and none for a user that failed validation', async () => {
    const { um } = manager();
    expect(await um.credential()).toBeNull();
    const refused = await userWith({ aud: 'other' });
    await um.storeUser(refused).catch(() => undefined);
    expect(um.lifetimeOf(refused)).toBeUndefined();
    expect(await um.credential()).toBeNull();
  });

  it("adopts another tab's session without validating it again", async () => {
    const { um } = manager();
    const adopted = await userWith({ aud: 'validated-elsewhere' });
    adopted.token_type = 'DPoP';
    await um.adoptUser(adopted);
    expect(await um.credential()).toEqual({ token: 'at', scheme: 'DPoP' });
  });
});

describe('ValidatingUserManager: a renewal through the prompt=none iframe', () => {
  afterEach(() => vi.restoreAllMocks());

  /** oidc-client-ts's iframe path: a new authorization request, its state holding the nonce sent. */
  function iframeAnswers(claims: (sentNonce: string) => Record<string, unknown>) {
    vi.spyOn(UserManager.prototype, 'signinSilent').mockImplementation(async function (
      this: UserManager,
      args = {},
    ) {
      const sent = String(args.nonce);
      const user = await userWith({ iat: nowSeconds() + 1, ...claims(sent) }, sent);
      await this.storeUser(user);
      return user;
    });
  }

  it('accepts the new ID token carrying the nonce of its own request', async () => {
    const { um } = manager();
    await um.storeUser(await userWith());
    iframeAnswers((sent) => ({ nonce: sent }));
    const renewed = await um.signinSilent();
    expect((await um.getUser())?.id_token).toBe(renewed?.id_token);
  });

  it.each([
    ['the first nonce (a replayed response)', () => ({ nonce: 'n1' })],
    ['no nonce', () => ({ nonce: undefined })],
    ['a nonce of another request', () => ({ nonce: 'attacker' })],
  ])('ends the session when it carries %s', async (_name, claims) => {
    const { um } = manager();
    await um.storeUser(await userWith());
    iframeAnswers(claims);
    const error = await um.signinSilent().catch((e: unknown) => e);
    expect((error as IdTokenError).rule).toBe('nonce');
    expect(await um.getUser()).toBeNull();
  });
});

describe('ValidatingUserManager.signinCallback refuses before any token request', () => {
  const fetchSpy = vi.fn<typeof fetch>();
  beforeEach(() => {
    fetchSpy.mockReset();
    vi.stubGlobal('fetch', fetchSpy);
  });
  afterEach(() => vi.unstubAllGlobals());

  it.each([
    [
      'a foreign iss (mix-up)',
      'code=c&state=s&iss=https%3A%2F%2Fevil.example',
      'is not the provider',
    ],
    ['a missing iss the provider always sends', 'code=c&state=s', 'iss is missing'],
    ['no state', `code=c&iss=${encodeURIComponent(issuer)}`, 'state is missing'],
    ['no code and no error', `state=s&iss=${encodeURIComponent(issuer)}`, 'code is missing'],
  ])('%s', async (_name, query, detail) => {
    const { um } = manager();
    const error = await um
      .signinCallback(`http://localhost/callback?${query}`)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignInError);
    expect((error as SignInError).detail).toContain(detail);
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(await um.getUser()).toBeNull();
  });
});

describe('ValidatingUserManager: a prompt=none iframe response is checked before its code is exchanged', () => {
  const fetchSpy = vi.fn<typeof fetch>();
  beforeEach(() => {
    fetchSpy.mockReset();
    vi.stubGlobal('fetch', fetchSpy);
  });
  afterEach(() => vi.unstubAllGlobals());

  /** signinSilent's own path (no refresh token): the iframe's answer goes to _signinEnd. */
  class IframeAnswering extends ValidatingUserManager {
    answer(url: string) {
      return this._signinEnd(url);
    }
  }

  it.each([
    [
      'a foreign iss (mix-up)',
      'code=c&state=s&iss=https%3A%2F%2Fevil.example',
      'is not the provider',
    ],
    ['a missing iss the provider always sends', 'code=c&state=s', 'iss is missing'],
  ])('%s: refused, no token request', async (_name, query, detail) => {
    const um = new IframeAnswering(
      { authority: issuer, client_id: clientId, redirect_uri: 'http://localhost/callback' },
      { issuer, clientId, clock: correctedClock(0), clockToleranceSeconds: 120 },
      manager().trust,
    );
    const error = await um.answer(`http://localhost/callback?${query}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignInError);
    expect((error as SignInError).detail).toContain(detail);
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

describe('ValidatingUserManager after an idle timeout (authenticate again)', () => {
  afterEach(() => {
    localStorage.clear();
    vi.restoreAllMocks();
  });
  const sentArgs = async (um: ValidatingUserManager) => {
    const leave = vi.spyOn(UserManager.prototype, 'signinRedirect').mockResolvedValue();
    await um.signinRedirect({ state: { returnTo: '/contacts' } });
    return leave.mock.calls.at(-1)?.[0] as Record<string, unknown> & {
      state: Record<string, unknown>;
    };
  };

  it('asks nothing more of the provider while no idle timeout asked for it', async () => {
    const args = await sentArgs(manager().um);
    expect(args.max_age).toBeUndefined();
    expect(args.prompt).toBeUndefined();
    expect(args.state.reauthentication).toBeUndefined();
  });

  it('then sends max_age=0 (or prompt=login, as the provider is configured), and says so in the state', async () => {
    requireReauthentication();
    const args = await sentArgs(manager().um);
    expect(args.max_age).toBe(0);
    expect(args.state).toMatchObject({ returnTo: '/contacts', reauthentication: 'max_age=0' });

    const promptLogin = new ValidatingUserManager(
      { authority: issuer, client_id: clientId, redirect_uri: 'http://localhost/callback' },
      {
        issuer,
        clientId,
        clock: correctedClock(0),
        clockToleranceSeconds: 120,
        reauthentication: 'prompt=login',
      },
      manager().trust,
    );
    const viaPrompt = await sentArgs(promptLogin);
    expect(viaPrompt.prompt).toBe('login');
    expect(viaPrompt.max_age).toBeUndefined();
  });

  it('after max_age=0, refuses an ID token whose auth_time is not recent, and takes a fresh one', async () => {
    const { um } = manager();
    const asked = { reauthentication: 'max_age=0' };
    const stale = await userWith({ auth_time: nowSeconds() - 3600 }, 'n1', asked);
    const error = await um.storeUser(stale).catch((e: unknown) => e);
    expect((error as IdTokenError).rule).toBe('auth_time');
    const fresh = await userWith({ auth_time: nowSeconds() - 5 }, 'n1', asked);
    await um.storeUser(fresh);
    expect(await um.getUser()).not.toBeNull();
  });
});

describe('ValidatingUserManager.signinRedirect', () => {
  it('does not leave for a provider whose discovery names another issuer', async () => {
    const { um } = manager({ issuer: 'https://evil.example' });
    const trust = um.trust as ProviderTrust & { metadata: () => Promise<never> };
    vi.mocked(trust.metadata).mockRejectedValueOnce(
      new IdTokenError('discovery', 'issuer mismatch'),
    );
    const error = await um.signinRedirect().catch((e: unknown) => e);
    expect((error as IdTokenError).rule).toBe('discovery');
    expect(window.location.pathname).toBe('/');
  });
});
