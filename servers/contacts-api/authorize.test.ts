// The authorizer called directly, with a stand-in token verifier and proof checker (real
// ones are in verify-access-token.test.ts, dpop-proof.test.ts and over HTTP in
// api-dpop.test.ts): what each outcome becomes, scheme by scheme, and what the proof check
// is asked.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { createDpopKey, createProof } from '../dpop-test-proofs.ts';
import {
  createAuthorizer,
  createDpopCheck,
  type DpopCheck,
  REPLAY_RETENTION_MS,
} from './authorize.ts';
import { createDpopNonces, NONCE_LIFETIME_MS } from './dpop-nonce.ts';
import { DpopProofError, type DpopRequest, IAT_WINDOW_SECONDS } from './dpop-proof.ts';
import { ReplayCheckError } from './dpop-replay-cache.ts';
import { Problem } from './problem.ts';
import {
  type AccessToken,
  InvalidTokenError,
  KeysUnavailableError,
} from './verify-access-token.ts';

const TOKEN = 'eyJ.token.sig';

function accessToken(overrides: Partial<AccessToken> = {}): AccessToken {
  return {
    issuer: 'https://idp.example',
    subject: 'alice',
    clientId: 'spa',
    scopes: new Set(['contacts:read']),
    scopeName: (scope) => `issuer-${scope}`,
    keyThumbprint: undefined,
    expiresAt: 0,
    notBefore: undefined,
    tokenSha256: 'sha',
    ...overrides,
  };
}

function fakeRequest(scheme: 'Bearer' | 'DPoP', url = '/contacts?limit=5', proofs = ['p1']) {
  const rawHeaders = ['authorization', `${scheme} ${TOKEN}`, ...proofs.flatMap((p) => ['DPoP', p])];
  return {
    method: 'GET',
    url,
    headers: { authorization: `${scheme} ${TOKEN}` },
    raw: { rawHeaders },
  } as unknown as FastifyRequest;
}

function setUp(verified: AccessToken | Error, proofOutcome: { nextNonce?: string } | Error = {}) {
  const nonces = createDpopNonces('secret');
  const asked: DpopRequest[] = [];
  const dpop: DpopCheck = {
    nonces,
    publicOrigin: 'https://api.example',
    verifyProof: async (request) => {
      asked.push(request);
      if (proofOutcome instanceof Error) throw proofOutcome;
      return { nextNonce: proofOutcome.nextNonce };
    },
  };
  const authorize = createAuthorizer(async (token) => {
    expect(token).toBe(TOKEN);
    if (verified instanceof Error) throw verified;
    return verified;
  }, dpop);
  const header = vi.fn();
  const reply = { header } as unknown as FastifyReply;
  return { authorize, asked, header, reply, nonces };
}

async function problemOf(promise: Promise<unknown>): Promise<Problem> {
  const err = await promise.then(
    () => expect.unreachable('authorized'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Problem);
  return err as Problem;
}

const challenge = (problem: Problem) => problem.headers['WWW-Authenticate'] ?? '';

describe('createAuthorizer with a Bearer token', () => {
  it('returns the verified token when it has the scope', async () => {
    const token = accessToken();
    const { authorize } = setUp(token);
    await expect(authorize(fakeRequest('Bearer'), 'contacts:read')).resolves.toBe(token);
  });

  it("refuses a missing scope, naming it as the token's issuer does", async () => {
    const { authorize } = setUp(accessToken());
    const problem = await problemOf(authorize(fakeRequest('Bearer'), 'contacts:write'));
    expect(problem.status).toBe(403);
    expect(challenge(problem)).toMatch(/^Bearer .*scope="issuer-contacts:write"/);
  });

  it('refuses a DPoP-bound token as a downgrade, before looking at scopes', async () => {
    const { authorize } = setUp(accessToken({ keyThumbprint: 'jkt' }));
    const problem = await problemOf(authorize(fakeRequest('Bearer'), 'contacts:write'));
    expect(problem.status).toBe(401);
    expect(challenge(problem)).toMatch(/^DPoP .*error="invalid_token"/);
    expect(problem.message).toMatch(/bound to a key/);
  });

  it('answers an invalid token with a Bearer challenge', async () => {
    const { authorize } = setUp(new InvalidTokenError());
    const problem = await problemOf(authorize(fakeRequest('Bearer'), 'contacts:read'));
    expect(problem.status).toBe(401);
    expect(challenge(problem)).toMatch(/^Bearer .*error="invalid_token"/);
  });

  it('answers keys that cannot be loaded with 503 and Retry-After, keeping the cause', async () => {
    const outage = new KeysUnavailableError('jwks down');
    const { authorize } = setUp(outage);
    const problem = await problemOf(authorize(fakeRequest('Bearer'), 'contacts:read'));
    expect(problem).toMatchObject({
      status: 503,
      message: 'Access tokens cannot be verified right now; try again shortly.',
      headers: { 'Retry-After': '5' },
      cause: outage,
    });
  });

  it('lets any other failure through unchanged', async () => {
    const bug = new RangeError('bug');
    const { authorize } = setUp(bug);
    await expect(authorize(fakeRequest('Bearer'), 'contacts:read')).rejects.toBe(bug);
  });
});

describe('createAuthorizer with the DPoP scheme', () => {
  it('asks the proof check about this request, at the public origin, without the query', async () => {
    const token = accessToken({ keyThumbprint: 'jkt' });
    const { authorize, asked, header, reply } = setUp(token);
    await expect(authorize(fakeRequest('DPoP'), 'contacts:read', reply)).resolves.toBe(token);
    expect(asked).toEqual([
      {
        method: 'GET',
        url: new URL('https://api.example/contacts'),
        proofs: ['p1'],
        accessToken: TOKEN,
        accessTokenSha256: 'sha',
        keyThumbprint: 'jkt',
        subject: 'https://idp.example alice',
      },
    ]);
    expect(header).not.toHaveBeenCalled();
  });

  it('keeps a path that looks like another origin a path', async () => {
    const { authorize, asked } = setUp(accessToken({ keyThumbprint: 'jkt' }));
    await authorize(fakeRequest('DPoP', '//evil.example/contacts'), 'contacts:read');
    expect(asked[0]?.url.href).toBe('https://api.example//evil.example/contacts');
  });

  it('hands the client a new nonce when the proof check has one', async () => {
    const { authorize, header, reply } = setUp(accessToken({ keyThumbprint: 'jkt' }), {
      nextNonce: 'n-2',
    });
    await authorize(fakeRequest('DPoP'), 'contacts:read', reply);
    expect(header).toHaveBeenCalledWith('DPoP-Nonce', 'n-2');
  });

  it('without a reply to write to, a new nonce is simply not handed out', async () => {
    const token = accessToken({ keyThumbprint: 'jkt' });
    const { authorize } = setUp(token, { nextNonce: 'n-2' });
    await expect(authorize(fakeRequest('DPoP'), 'contacts:read')).resolves.toBe(token);
  });

  it('refuses a token bound to no key', async () => {
    const { authorize, asked } = setUp(accessToken());
    const problem = await problemOf(authorize(fakeRequest('DPoP'), 'contacts:read'));
    expect(problem.status).toBe(401);
    expect(problem.message).toMatch(/not bound to a DPoP key/);
    expect(asked).toEqual([]);
  });

  it('answers an invalid token with a DPoP challenge', async () => {
    const { authorize } = setUp(new InvalidTokenError());
    const problem = await problemOf(authorize(fakeRequest('DPoP'), 'contacts:read'));
    expect(challenge(problem)).toMatch(/^DPoP .*error="invalid_token"/);
  });

  it('refuses a missing scope after the proof, with a DPoP challenge', async () => {
    const { authorize, asked } = setUp(accessToken({ keyThumbprint: 'jkt' }));
    const problem = await problemOf(authorize(fakeRequest('DPoP'), 'contacts:write'));
    expect(problem.status).toBe(403);
    expect(challenge(problem)).toMatch(/^DPoP .*scope="issuer-contacts:write"/);
    expect(asked).toHaveLength(1);
  });

  it('answers a refused proof, with a nonce when one is asked for', async () => {
    const bound = accessToken({ keyThumbprint: 'jkt' });
    const refused = setUp(bound, new DpopProofError('invalid_dpop_proof', 'Bad proof.'));
    const problem = await problemOf(refused.authorize(fakeRequest('DPoP'), 'contacts:read'));
    expect(challenge(problem)).toMatch(/error="invalid_dpop_proof"/);
    const nonce = setUp(bound, new DpopProofError('use_dpop_nonce', 'Use a nonce.'));
    const asked = await problemOf(nonce.authorize(fakeRequest('DPoP'), 'contacts:read'));
    expect(asked.headers['DPoP-Nonce']).toBe(nonce.nonces.current());
  });

  it('after the replay cache lost its memory: use_dpop_nonce, with a nonce made since', async () => {
    const since = Date.now() + 30_000;
    const { authorize, nonces } = setUp(
      accessToken({ keyThumbprint: 'jkt' }),
      new ReplayCheckError('reset', 1, { since }),
    );
    const problem = await problemOf(authorize(fakeRequest('DPoP'), 'contacts:read'));
    expect(problem.status).toBe(401);
    expect(problem.message).toBe('The DPoP replay cache was reset: use the new nonce.');
    expect(challenge(problem)).toMatch(/error="use_dpop_nonce"/);
    expect(problem.headers['DPoP-Nonce']).toBe(nonces.after(since));
    expect(problem.headers['DPoP-Nonce']).not.toBe(nonces.current());
  });

  it('a user over the proof bound gets 429; a cache that cannot tell, 503 with the cause', async () => {
    const bound = accessToken({ keyThumbprint: 'jkt' });
    const over = setUp(bound, new ReplayCheckError('subject-bound', 17));
    const tooMany = await problemOf(over.authorize(fakeRequest('DPoP'), 'contacts:read'));
    expect(tooMany).toMatchObject({
      status: 429,
      message: 'Too many new DPoP proofs for this user this minute.',
      headers: { 'Retry-After': '17' },
    });
    const down = new ReplayCheckError('unavailable', 3);
    const unavailable = setUp(bound, down);
    const problem = await problemOf(unavailable.authorize(fakeRequest('DPoP'), 'contacts:read'));
    expect(problem).toMatchObject({
      status: 503,
      message: 'DPoP proofs cannot be checked for replay right now; try again shortly.',
      headers: { 'Retry-After': '3' },
      cause: down,
    });
  });

  it('lets any other failure of the proof check through unchanged', async () => {
    const bug = new RangeError('bug');
    const { authorize } = setUp(accessToken({ keyThumbprint: 'jkt' }), bug);
    await expect(authorize(fakeRequest('DPoP'), 'contacts:read')).rejects.toBe(bug);
  });
});

describe('createDpopCheck', () => {
  it('keeps proofs as long as one could pass again, plus a minute', () => {
    expect(REPLAY_RETENTION_MS).toBe(
      Math.max(2 * IAT_WINDOW_SECONDS * 1000, NONCE_LIFETIME_MS) + 60_000,
    );
    expect(REPLAY_RETENTION_MS).toBe(360_000);
  });

  it('by default remembers proofs in this process: a replay is refused', async () => {
    const check = createDpopCheck('https://api.example');
    const key = await createDpopKey();
    const proof = await createProof(key, { htu: 'https://api.example/contacts', token: TOKEN });
    const request: DpopRequest = {
      method: 'GET',
      url: new URL('https://api.example/contacts'),
      proofs: [proof],
      accessToken: TOKEN,
      keyThumbprint: key.jkt,
      subject: 'iss alice',
    };
    await expect(check.verifyProof(request)).resolves.toBeTruthy();
    await expect(check.verifyProof(request)).rejects.toThrow('already used');
  });

  it('takes the origin of the public URL, and shares one nonce secret', () => {
    const check = createDpopCheck('https://api.example:8443/base/path?x=1', 'shared');
    expect(check.publicOrigin).toBe('https://api.example:8443');
    expect(check.nonces.current()).toBe(createDpopNonces('shared').current());
  });
});
