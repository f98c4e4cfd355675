import type { User, UserManager } from 'oidc-client-ts';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProviderConfig } from '../../config/app-config.ts';
import { takeLocalSignOutNotice } from './local-sign-out-notice.ts';
import { signOut } from './sign-out.ts';

const ID_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ.signature-of-the-id-token';

/** The calls sign-out makes, in order, as a user's browser would see them happen. */
function fakeUserManager({
  user = { id_token: ID_TOKEN } as Partial<User> | null,
  revocation = 'ok' as 'ok' | 'refused' | 'unreachable',
  logoutEndpoint = true,
} = {}) {
  const calls: string[] = [];
  let stored = user;
  const um = {
    settings: { client_id: 'contacts-spa' },
    getUser: vi.fn(async () => stored),
    revokeTokens: vi.fn(async () => {
      calls.push('revoke');
      if (revocation === 'refused') throw new Error('401 from the revocation endpoint');
      if (revocation === 'unreachable') throw new TypeError('Failed to fetch');
    }),
    removeUser: vi.fn(async () => {
      calls.push('remove user');
      stored = null;
    }),
    signoutRedirect: vi.fn(async (args: Record<string, unknown>) => {
      calls.push(`logout at the provider ${JSON.stringify(args)}`);
      if (!logoutEndpoint) throw new Error('no end_session_endpoint');
    }),
  };
  return { um: um as unknown as UserManager, calls };
}

const logout = (
  request: ProviderConfig['logout']['request'],
  revocation = true,
): ProviderConfig['logout'] => ({ request, revocation });

beforeEach(() => sessionStorage.clear());

describe('signOut', () => {
  it('by default names the app by client_id: no ID token, no sign-in parameters', async () => {
    const { um, calls } = fakeUserManager();
    const goHome = vi.fn();
    await signOut(um, logout('client_id'), goHome);
    // The user is gone before the redirect, so oidc-client-ts cannot add the ID token.
    expect(calls).toEqual([
      'revoke',
      'remove user',
      'logout at the provider {"extraQueryParams":{}}',
    ]);
    expect(goHome).not.toHaveBeenCalled();
    expect(takeLocalSignOutNotice()).toBeNull();
  });

  it('with id_token_hint, sends the ID token as the hint with a state (to be sent back), and skips a refused revocation', async () => {
    const { um, calls } = fakeUserManager();
    await signOut(um, logout('id_token_hint', false), vi.fn());
    expect(calls).toEqual([
      'remove user',
      `logout at the provider {"extraQueryParams":{},"id_token_hint":"${ID_TOKEN}","state":"signed-out"}`,
    ]);
  });

  it('with id_token_hint and no ID token in this tab: signed out here, and says the provider was not asked', async () => {
    const { um, calls } = fakeUserManager({ user: null });
    const goHome = vi.fn();
    await signOut(um, logout('id_token_hint'), goHome);
    expect(calls).toEqual(['revoke', 'remove user']);
    expect(goHome).toHaveBeenCalledOnce();
    expect(takeLocalSignOutNotice()).toBe('no_id_token');
  });

  it('an unreachable provider: signed out here, not sent there, and told so', async () => {
    const { um, calls } = fakeUserManager({ revocation: 'unreachable' });
    const goHome = vi.fn();
    await signOut(um, logout('client_id'), goHome);
    expect(calls).toEqual(['revoke', 'remove user']);
    expect(goHome).toHaveBeenCalledOnce();
    expect(takeLocalSignOutNotice()).toBe('unreachable');
    expect(takeLocalSignOutNotice()).toBeNull(); // once
  });

  it('a refused revocation still logs out at the provider (its logout ends the grant)', async () => {
    const { um, calls } = fakeUserManager({ revocation: 'refused' });
    await signOut(um, logout('client_id'), vi.fn());
    expect(calls.at(-1)).toMatch(/^logout at the provider/);
  });

  it('a provider without a logout endpoint: signed out here, and told so', async () => {
    const { um } = fakeUserManager({ logoutEndpoint: false });
    const goHome = vi.fn();
    await signOut(um, logout('client_id'), goHome);
    expect(goHome).toHaveBeenCalledOnce();
    expect(takeLocalSignOutNotice()).toBe('unreachable');
  });
});
