import { ErrorTimeout, User } from 'oidc-client-ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseAppConfig } from '../../config/app-config.ts';
import { createUserManager } from './user-manager.ts';

const issuer = 'https://idp.example';
const config = parseAppConfig({
  providers: [
    {
      id: 'local',
      label: 'Test IdP',
      issuer,
      clientId: 'contacts-spa',
      audienceParameter: 'resource',
      dpop: false,
      scopes: ['openid', 'contacts:read'],
    },
  ],
  api: { baseUrl: 'https://api.example', resource: 'https://api.example' },
});
const metadata = {
  issuer,
  authorization_endpoint: `${issuer}/auth`,
  token_endpoint: `${issuer}/token`,
  revocation_endpoint: `${issuer}/token/revocation`,
  jwks_uri: `${issuer}/jwks`,
};

/** The provider: discovery answers when `discovery` says so; nothing else ever answers. */
function provider({ discovery }: { discovery: boolean }) {
  const asked: string[] = [];
  const fetchMock = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
    asked.push(String(url));
    if (discovery && String(url) === `${issuer}/.well-known/openid-configuration`) {
      return new Response(JSON.stringify(metadata), {
        headers: { 'Content-Type': 'application/json' },
      });
    }
    return new Promise<Response>((_resolve, reject) => {
      init?.signal?.addEventListener('abort', () =>
        reject(new DOMException('aborted', 'AbortError')),
      );
    });
  });
  vi.stubGlobal('fetch', fetchMock);
  return asked;
}

/** Settles `promise` into what it gave, so a test can look while it is still pending. */
function watch(promise: Promise<unknown>) {
  const seen: { outcome?: unknown } = {};
  promise.then(
    () => {
      seen.outcome = 'answered';
    },
    (error: unknown) => {
      seen.outcome = error;
    },
  );
  return seen;
}

describe('a provider that never answers: the app gives up after 10 s', () => {
  const [local] = config.providers;
  if (!local) throw new Error('no provider');
  const manager = () =>
    createUserManager(
      local,
      config.options,
      config.api.resource,
      { now: Date.now },
      'https://app.example',
    );

  beforeEach(() => {
    sessionStorage.clear(); // no discovery document kept from before
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('discovery', async () => {
    const asked = provider({ discovery: false });
    const seen = watch(manager().metadataService.getMetadata());
    await vi.advanceTimersByTimeAsync(9_990);
    expect(asked).toEqual([`${issuer}/.well-known/openid-configuration`]);
    expect(seen.outcome).toBeUndefined(); // still waiting
    await vi.advanceTimersByTimeAsync(20);
    expect(seen.outcome).toBeInstanceOf(ErrorTimeout);
  });

  it('revocation of the refresh token (sign-out, idle timeout)', async () => {
    const asked = provider({ discovery: true });
    const um = manager();
    // The tab's user, as a sign-in leaves it (the store is this tab's memory).
    const user = new User({
      access_token: 'at-1',
      token_type: 'Bearer',
      refresh_token: 'rt-1',
      profile: { sub: 'alice', iss: issuer, aud: 'contacts-spa', exp: 0, iat: 0 },
    });
    await um.settings.userStore.set(`user:${issuer}:contacts-spa`, user.toStorageString());
    const seen = watch(um.revokeTokens(['refresh_token']));
    await vi.advanceTimersByTimeAsync(9_990);
    expect(asked).toContain(`${issuer}/token/revocation`); // the request went out...
    expect(seen.outcome).toBeUndefined(); // ...and is still waited for
    await vi.advanceTimersByTimeAsync(20);
    expect(seen.outcome).toBeInstanceOf(ErrorTimeout);
  });
});
