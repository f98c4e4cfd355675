import { User } from 'oidc-client-ts';
import { describe, expect, it } from 'vitest';
import { mayPersistRefreshToken, persistableSession } from './storage-policy.ts';

const userOf = (token_type: string, refresh_token?: string) =>
  new User({
    access_token: 'at-secret',
    token_type,
    ...(refresh_token ? { refresh_token } : {}),
    id_token: 'id-token',
    scope: 'openid contacts:read',
    profile: { sub: 'alice', iss: 'https://idp.example', aud: 'spa', exp: 0, iat: 0 },
  });

describe('what outlives the tab', () => {
  it('a DPoP-bound refresh token is kept across reloads, never the access token', () => {
    const kept = persistableSession(userOf('DPoP', 'rt-bound'));
    expect(kept).toContain('rt-bound'); // the check below would see a kept refresh token
    expect(kept).not.toContain('at-secret');
    expect(mayPersistRefreshToken(userOf('dpop', 'rt-bound'))).toBe(true);
  });

  it.each(['Bearer', 'bearer'])('a %s refresh token is never persisted', (tokenType) => {
    const user = userOf(tokenType, 'rt-bearer');
    expect(mayPersistRefreshToken(user)).toBe(false);
    expect(persistableSession(user)).toBeUndefined();
  });

  it('nothing is kept without a refresh token', () => {
    expect(persistableSession(userOf('DPoP'))).toBeUndefined();
  });
});
