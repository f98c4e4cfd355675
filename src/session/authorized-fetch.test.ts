import { EmbeddedJWK, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { requestAuthorizer } from '../auth/credential/authorization-headers.ts';
import type { Credential } from '../auth/credential/credential.ts';
import { SessionEndedError } from '../auth/credential/session-ended-error.ts';
import { createAuthorizedFetch } from './authorized-fetch.ts';

const api = 'https://api.example';

/** A session keeper stand-in: `current` now, `renewed` after a rejection. */
function credentials(current: Credential | null, renewed: Credential | null = null) {
  return {
    credential: vi.fn(async () => current),
    credentialAfterRejection: vi.fn(async (_rejected: Credential) => renewed),
  };
}
const bearer = (token: string): Credential => ({ token, scheme: 'Bearer' });
const dpop = (token: string): Credential => ({ token, scheme: 'DPoP' });

const challenge = (error: string, nonce?: string) =>
  new Response('{}', {
    status: 401,
    headers: {
      'WWW-Authenticate': `DPoP error="${error}"`,
      ...(nonce ? { 'DPoP-Nonce': nonce } : {}),
    },
  });
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

  const sent = (call: number) => new Headers(fetchMock.mock.calls[call]?.[1]?.headers);
  const authorizationOf = (call: number) => sent(call).get('Authorization');
  const bearerFetch = (source: ReturnType<typeof credentials>) =>
    createAuthorizedFetch(source, api, requestAuthorizer());

  it('attaches the current access token as a Bearer header, without cookies', async () => {
    fetchMock.mockResolvedValue(new Response('[]'));
    await bearerFetch(credentials(bearer('at-1')))(`${api}/contacts`);
    expect(authorizationOf(0)).toBe('Bearer at-1');
    expect(sent(0).get('DPoP')).toBeNull();
    expect(fetchMock.mock.calls[0]?.[1]?.credentials).toBe('omit');
  });

  it.each([
    'https://evil.example/contacts',
    'http://api.example/contacts',
    'https://api.example:8443/x',
  ])('refuses to send the token to another origin (%s)', async (url) => {
    const source = credentials(bearer('at-1'));
    await expect(bearerFetch(source)(url)).rejects.toThrow(/refusing to send the access token/);
    expect(fetchMock).not.toHaveBeenCalled();
    expect(source.credential).not.toHaveBeenCalled();
  });

  it('on invalid_token renews once and retries once', async () => {
    fetchMock.mockResolvedValueOnce(invalidToken()).mockResolvedValueOnce(new Response('[]'));
    const source = credentials(bearer('old'), bearer('new'));
    const response = await bearerFetch(source)(`${api}/contacts`);
    expect(response.status).toBe(200);
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(source.credentialAfterRejection).toHaveBeenCalledWith(bearer('old'));
    expect(authorizationOf(1)).toBe('Bearer new');
  });

  it('never retries more than once', async () => {
    fetchMock.mockImplementation(async () => invalidToken());
    const source = credentials(bearer('old'), bearer('new'));
    const response = await bearerFetch(source)(`${api}/contacts`);
    expect(response.status).toBe(401);
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(source.credentialAfterRejection).toHaveBeenCalledOnce();
  });

  it('does not renew on a 401 without invalid_token, nor on a 403', async () => {
    fetchMock.mockResolvedValueOnce(new Response('{}', { status: 403 }));
    const source = credentials(bearer('at'), bearer('new'));
    const response = await bearerFetch(source)(`${api}/contacts`);
    expect(response.status).toBe(403);
    expect(source.credentialAfterRejection).not.toHaveBeenCalled();
  });

  it('reports an ended session when there is no credential (signed out, or renewal failed)', async () => {
    await expect(bearerFetch(credentials(null))(`${api}/contacts`)).rejects.toBeInstanceOf(
      SessionEndedError,
    );
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('reports an ended session when the renewal after a rejection fails', async () => {
    fetchMock.mockResolvedValue(invalidToken());
    await expect(
      bearerFetch(credentials(bearer('old'), null))(`${api}/contacts`),
    ).rejects.toBeInstanceOf(SessionEndedError);
    expect(fetchMock).toHaveBeenCalledOnce();
  });

  describe('with a DPoP-bound credential', () => {
    const newKeys = () =>
      crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    const proofNonce = async (call: number) =>
      (await jwtVerify(sent(call).get('DPoP') ?? '', EmbeddedJWK)).payload.nonce;
    const dpopFetch = async (source: ReturnType<typeof credentials>) => {
      const keys = await newKeys();
      return createAuthorizedFetch(
        source,
        api,
        requestAuthorizer(async () => keys),
      );
    };

    it('sends DPoP scheme + proof, answers use_dpop_nonce once, remembers nonces from successes', async () => {
      fetchMock
        .mockResolvedValueOnce(challenge('use_dpop_nonce', 'n-1'))
        .mockResolvedValueOnce(new Response('[]', { headers: { 'DPoP-Nonce': 'n-2' } }))
        .mockResolvedValueOnce(new Response('[]'));
      const send = await dpopFetch(credentials(dpop('at-1')));
      const first = await send(`${api}/contacts`);
      expect(first.status).toBe(200);
      expect(authorizationOf(0)).toBe('DPoP at-1');
      expect(await proofNonce(0)).toBeUndefined();
      expect(await proofNonce(1)).toBe('n-1');
      await send(`${api}/contacts`);
      expect(await proofNonce(2)).toBe('n-2');
      expect(fetchMock.mock.calls[2]?.[1]?.credentials).toBe('omit');
    });

    it('every retry (new nonce, renewed token) resends the same headers and body, so a create keeps its Idempotency-Key', async () => {
      fetchMock
        .mockResolvedValueOnce(challenge('use_dpop_nonce', 'n-1'))
        .mockResolvedValueOnce(challenge('invalid_token'))
        .mockResolvedValueOnce(new Response('{}', { status: 201 }));
      const send = await dpopFetch(credentials(dpop('old'), dpop('new')));
      const body = JSON.stringify({ name: 'Ada' });
      const headers = { 'Content-Type': 'application/json', 'Idempotency-Key': 'new-3f2c' };
      const response = await send(`${api}/contacts`, { method: 'POST', headers, body });
      expect(response.status).toBe(201);
      expect(fetchMock).toHaveBeenCalledTimes(3);
      expect(authorizationOf(2)).toBe('DPoP new'); // the last one is the renewal's retry
      for (const call of [0, 1, 2]) {
        expect(sent(call).get('Idempotency-Key')).toBe('new-3f2c');
        expect(fetchMock.mock.calls[call]?.[1]?.body).toBe(body);
      }
    });

    it('retries a use_dpop_nonce challenge only once', async () => {
      let n = 0;
      fetchMock.mockImplementation(async () => challenge('use_dpop_nonce', `n-${++n}`));
      const answer = await (await dpopFetch(credentials(dpop('at'))))(`${api}/contacts`);
      expect(answer.status).toBe(401);
      expect(fetchMock).toHaveBeenCalledTimes(2);
    });

    it('does not retry a use_dpop_nonce challenge that brings no new nonce', async () => {
      fetchMock.mockResolvedValue(challenge('use_dpop_nonce'));
      const answer = await (await dpopFetch(credentials(dpop('at'))))(`${api}/contacts`);
      expect(answer.status).toBe(401);
      expect(fetchMock).toHaveBeenCalledOnce();
    });

    it('sends a Bearer token as Bearer when the provider did not bind it', async () => {
      fetchMock.mockResolvedValue(new Response('[]'));
      await (await dpopFetch(credentials(bearer('at-1'))))(`${api}/contacts`);
      expect(authorizationOf(0)).toBe('Bearer at-1');
      expect(sent(0).get('DPoP')).toBeNull();
    });

    it('a cleared key store ends the session cleanly, sending nothing', async () => {
      const send = createAuthorizedFetch(
        credentials(dpop('at-1')),
        api,
        requestAuthorizer(async () => undefined),
      );
      await expect(send(`${api}/contacts`)).rejects.toBeInstanceOf(SessionEndedError);
      expect(fetchMock).not.toHaveBeenCalled();
    });
  });
});
