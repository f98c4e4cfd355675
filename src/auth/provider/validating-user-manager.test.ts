import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { User, UserManager } from 'oidc-client-ts';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { correctedClock } from '../../lib/clock.ts';
import { IdTokenError } from '../id-token/id-token-error.ts';
import { reauthenticationRequired, requireReauthentication } from '../sign-in/reauthentication.ts';
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

describe('ValidatingUserManager.signinCallback passes a well-formed response on', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each([
    ['a code with the right iss', `code=c&state=s&iss=${encodeURIComponent(issuer)}`, true],
    [
      'an error with the right iss',
      `error=access_denied&state=s&iss=${encodeURIComponent(issuer)}`,
      true,
    ],
    ['no iss from a provider that does not send it', 'code=c&state=s', false],
  ])('%s', async (_name, query, issSupported) => {
    const { um } = manager({
      issuer,
      authorization_response_iss_parameter_supported: issSupported,
    });
    const exchange = vi.spyOn(UserManager.prototype, 'signinCallback').mockResolvedValue(undefined);
    const url = `http://localhost/callback?${query}`;
    await um.signinCallback(url);
    expect(exchange).toHaveBeenCalledWith(url);
  });

  it('says what is wrong in words for the user, and clips a foreign iss in the detail', async () => {
    const { um } = manager();
    const foreign = `https://evil.example/${'x'.repeat(200)}`;
    const mixUp = await um
      .signinCallback(`http://localhost/callback?code=c&state=s&iss=${encodeURIComponent(foreign)}`)
      .catch((e: unknown) => e);
    expect(mixUp).toMatchObject({
      code: 'invalid_response',
      message: 'This sign-in response did not come from the expected provider.',
      detail: `iss "${foreign.slice(0, 100)}" is not the provider signed in with`,
    });
    for (const query of ['code=c', 'state=s']) {
      const incomplete = await um
        .signinCallback(`http://localhost/callback?${query}&iss=${encodeURIComponent(issuer)}`)
        .catch((e: unknown) => e);
      expect(incomplete).toMatchObject({
        code: 'invalid_response',
        message: 'This sign-in response is incomplete.',
      });
    }
  });
});

describe('ValidatingUserManager: a sign-in callback is not a renewal', () => {
  afterEach(() => {
    localStorage.clear();
    vi.restoreAllMocks();
  });

  /** oidc-client-ts's callback path: the code exchanged, the user stored, then returned. */
  function callbackStores(user: () => Promise<User>) {
    vi.spyOn(UserManager.prototype, 'signinCallback').mockImplementation(async function (
      this: UserManager,
    ) {
      const signedIn = await user();
      await this.storeUser(signedIn);
      return signedIn;
    });
  }
  const callbackUrl = `http://localhost/callback?code=c&state=s&iss=${encodeURIComponent(issuer)}`;

  it('another user signing in replaces the stored session; after it, a renewal is checked again', async () => {
    const { um } = manager();
    await um.storeUser(await userWith());
    callbackStores(() => userWith({ sub: 'bob' }));
    await um.signinCallback(callbackUrl);
    expect((await um.getUser())?.profile.sub).toBe('bob');
    const error = await um.storeUser(await userWith({ sub: 'mallory' })).catch((e: unknown) => e);
    expect((error as IdTokenError).rule).toBe('renewal_sub');
  });

  it('a sign-in response that fails validation leaves the stored session alone', async () => {
    const { um } = manager();
    await um.storeUser(await userWith());
    callbackStores(() => userWith({ aud: 'other' }));
    const error = await um.signinCallback(callbackUrl).catch((e: unknown) => e);
    expect((error as IdTokenError).rule).toBe('aud');
    expect((await um.getUser())?.profile.sub).toBe('alice');
  });

  it('a callback answering the reauthentication request clears it; a renewal does not', async () => {
    const asked = { reauthentication: 'max_age=0' };
    const fresh = () => userWith({ auth_time: nowSeconds() - 5 }, 'n1', asked);
    requireReauthentication();
    const { um } = manager();
    await um.storeUser(await fresh()); // a renewal keeping the sign-in's state
    expect(reauthenticationRequired()).toBe(true);
    callbackStores(fresh);
    await um.signinCallback(callbackUrl);
    expect(reauthenticationRequired()).toBe(false);
  });

  it('a callback without a reauthentication request leaves the flag for the next sign-in', async () => {
    requireReauthentication();
    const { um } = manager();
    callbackStores(() => userWith());
    await um.signinCallback(callbackUrl);
    expect(reauthenticationRequired()).toBe(true);
  });
});

describe('ValidatingUserManager.signinSilent', () => {
  afterEach(() => vi.restoreAllMocks());

  it('sends a new nonce, in the request and in its state, keeping the state given', async () => {
    const { um } = manager();
    const silent = vi.spyOn(UserManager.prototype, 'signinSilent').mockResolvedValue(null);
    await um.signinSilent({ state: { returnTo: '/contacts' } });
    const args = silent.mock.calls[0]?.[0] as { nonce: string; state: unknown };
    expect(args.nonce).toMatch(/^.{16,}$/);
    expect(args.state).toEqual({ returnTo: '/contacts', nonce: args.nonce });
  });

  it.each([
    [
      "oidc-client-ts's renewal check (another user)",
      new Error('sub in id_token does not match current sub'),
      null,
    ],
    ['a network failure', new TypeError('Failed to fetch'), 'alice'],
  ])('on %s, the stored session is ended or kept', async (_name, thrown, left) => {
    const { um } = manager();
    await um.storeUser(await userWith());
    vi.spyOn(UserManager.prototype, 'signinSilent').mockRejectedValue(thrown);
    await expect(um.signinSilent()).rejects.toBe(thrown);
    expect((await um.getUser())?.profile.sub ?? null).toBe(left);
  });
});

describe('ValidatingUserManager: a refresh that keeps the ID token', () => {
  afterEach(() => vi.useRealTimers());

  it('does not validate it again an hour later (its iat and exp are long past)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { um } = manager();
    const first = await userWith();
    await um.storeUser(first);
    vi.setSystemTime(Date.now() + 3_600_000);
    const renewed = new User({ ...first, access_token: 'at-2', userState: first.state });
    await um.storeUser(renewed);
    expect((await um.getUser())?.access_token).toBe('at-2');
  });
});

describe('ValidatingUserManager: odd request state', () => {
  it.each([
    ['null', null],
    ['a nonce that is not a string', { nonce: 5 }],
  ])('%s carries no nonce: the sign-in is refused on the nonce rule', async (_name, state) => {
    const { um } = manager();
    const user = new User({
      id_token: await idToken({ nonce: 5 }),
      access_token: 'at',
      token_type: 'Bearer',
      profile: { sub: 'alice', iss: issuer, aud: clientId, exp: 0, iat: 0 },
      userState: state,
    });
    const error = await um.storeUser(user).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdTokenError);
    expect((error as IdTokenError).rule).toBe('nonce');
  });
});
