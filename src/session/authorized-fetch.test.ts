import type { User, UserManager } from 'oidc-client-ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SessionEndedError } from '../auth/credential/session-ended-error.ts';
import { createAuthorizedFetch } from './authorized-fetch.ts';

const api = 'https://api.example';

function fakeUserManager(user: Partial<User> | null, renewed: Partial<User> | Error | null = null) {
  return {
    getUser: vi.fn(async () => user as User | null),
    signinSilent: vi.fn(async () => {
      if (renewed instanceof Error) throw renewed;
      return renewed as User | null;
    }),
  };
}

const invalidToken = () =>
  new Response('{}', {
    status: 401,
    headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
  });

describe('createAuthorizedFetch', () => {
  const fetchMock = vi.fn<typeof fetch>();
  beforeEach(() => {
    fetchMock.mockReset();
    vi.stubGlobal('fetch', fetchMock);
  });
  afterEach(() => vi.unstubAllGlobals());

  const authorizationOf = (call: number) =>
    new Headers(fetchMock.mock.calls[call]?.[1]?.headers).get('Authorization');

  it('attaches the current access token as a Bearer header, without cookies', async () => {
    fetchMock.mockResolvedValue(new Response('[]'));
    const um = fakeUserManager({ access_token: 'at-1', expired: false });
    await createAuthorizedFetch(um as unknown as UserManager, api)(`${api}/contacts`);
    expect(authorizationOf(0)).toBe('Bearer at-1');
    expect(fetchMock.mock.calls[0]?.[1]?.credentials).toBe('omit');
  });

  it.each([
    'https://evil.example/contacts',
    'http://api.example/contacts',
    'https://api.example:8443/x',
  ])('refuses to send the token to another origin (%s)', async (url) => {
    const um = fakeUserManager({ access_token: 'at-1', expired: false });
    await expect(createAuthorizedFetch(um as unknown as UserManager, api)(url)).rejects.toThrow(
      /refusing to send the access token/,
    );
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('renews first when the token has expired', async () => {
    fetchMock.mockResolvedValue(new Response('[]'));
    const um = fakeUserManager({ access_token: 'old', expired: true }, { access_token: 'new' });
    await createAuthorizedFetch(um as unknown as UserManager, api)(`${api}/contacts`);
    expect(um.signinSilent).toHaveBeenCalledOnce();
    expect(authorizationOf(0)).toBe('Bearer new');
  });

  it('on invalid_token renews once and retries once', async () => {
    fetchMock.mockResolvedValueOnce(invalidToken()).mockResolvedValueOnce(new Response('[]'));
    const um = fakeUserManager({ access_token: 'old', expired: false }, { access_token: 'new' });
    const response = await createAuthorizedFetch(
      um as unknown as UserManager,
      api,
    )(`${api}/contacts`);
    expect(response.status).toBe(200);
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(authorizationOf(1)).toBe('Bearer new');
  });

  it('never retries more than once', async () => {
    fetchMock.mockImplementation(async () => invalidToken());
    const um = fakeUserManager({ access_token: 'old', expired: false }, { access_token: 'new' });
    const response = await createAuthorizedFetch(
      um as unknown as UserManager,
      api,
    )(`${api}/contacts`);
    expect(response.status).toBe(401);
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(um.signinSilent).toHaveBeenCalledOnce();
  });

  it('does not renew on a 401 without invalid_token, nor on a 403', async () => {
    fetchMock.mockResolvedValueOnce(new Response('{}', { status: 403 }));
    const um = fakeUserManager({ access_token: 'at', expired: false }, { access_token: 'new' });
    const response = await createAuthorizedFetch(
      um as unknown as UserManager,
      api,
    )(`${api}/contacts`);
    expect(response.status).toBe(403);
    expect(um.signinSilent).not.toHaveBeenCalled();
  });

  it('reports an ended session when there is no user', async () => {
    const um = fakeUserManager(null);
    await expect(
      createAuthorizedFetch(um as unknown as UserManager, api)(`${api}/contacts`),
    ).rejects.toBeInstanceOf(SessionEndedError);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('reports an ended session when renewal fails', async () => {
    const um = fakeUserManager({ access_token: 'old', expired: true }, new Error('invalid_grant'));
    await expect(
      createAuthorizedFetch(um as unknown as UserManager, api)(`${api}/contacts`),
    ).rejects.toBeInstanceOf(SessionEndedError);
  });
});
