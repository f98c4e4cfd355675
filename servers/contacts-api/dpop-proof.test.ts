// The DPoP proof verifier called directly (api-dpop.test.ts covers it over HTTP): each
// refusal with its code and words, the freshness edges, and what goes to the replay cache.
import { describe, expect, it } from 'vitest';
import { ath, createDpopKey, createProof, type DpopKey } from '../dpop-test-proofs.ts';
import { createDpopNonces } from './dpop-nonce.ts';
import {
  createDpopProofVerifier,
  DpopProofError,
  type DpopRequest,
  IAT_WINDOW_SECONDS,
} from './dpop-proof.ts';
import type { ProofUse } from './dpop-replay-cache.ts';

const HTU = 'https://api.example/contacts';
const TOKEN = 'the-access-token';
const NOW = Date.UTC(2026, 11, 6, 12, 0, 0); // on a whole second
const nowSeconds = NOW / 1000;

/** A verifier made in the test (not in beforeAll), with a replay cache that records. */
function setUp(firstUse = true) {
  const uses: ProofUse[] = [];
  const nonces = createDpopNonces('secret', () => NOW);
  const verify = createDpopProofVerifier({
    nonces,
    replays: {
      firstUse: async (use) => {
        uses.push(use);
        return firstUse;
      },
    },
    now: () => NOW,
  });
  return { verify, uses, nonces };
}

async function request(key: DpopKey, proofs: string[], extra: Partial<DpopRequest> = {}) {
  return {
    method: 'GET',
    url: new URL(`${HTU}?limit=5`),
    proofs,
    accessToken: TOKEN,
    keyThumbprint: key.jkt,
    subject: 'iss sub',
    ...extra,
  };
}

const proofOf = (key: DpopKey, claims: Record<string, unknown> = {}, header = {}) =>
  createProof(key, { htu: HTU, token: TOKEN, claims: { iat: nowSeconds, ...claims }, header });

async function refusal(promise: Promise<unknown>) {
  const err = await promise.then(
    () => expect.unreachable('the proof was accepted'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DpopProofError);
  return err as DpopProofError;
}

describe('createDpopProofVerifier', () => {
  it('accepts a correct proof and records its key and jti, from iat - the window', async () => {
    const key = await createDpopKey();
    const { verify, uses } = setUp();
    const proof = await proofOf(key, { jti: 'j-1' });
    await expect(verify(await request(key, [proof]))).resolves.toEqual({ nextNonce: undefined });
    expect(uses).toEqual([
      {
        subject: 'iss sub',
        key: `${key.jkt} j-1`,
        earliestUse: (nowSeconds - IAT_WINDOW_SECONDS) * 1000,
      },
    ]);
  });

  it('refuses a malformed proof with words and the cause', async () => {
    const key = await createDpopKey();
    const { verify } = setUp();
    const err = await refusal(verify(await request(key, ['not-a-jwt'])));
    expect(err).toMatchObject({
      code: 'invalid_dpop_proof',
      name: 'DpopProofError',
      message: 'The DPoP proof is malformed or its signature does not verify.',
    });
    expect(err.cause).toBeDefined();
    const badTyp = await refusal(
      verify(await request(key, [await proofOf(key, {}, { typ: 'JWT' })])),
    );
    expect(badTyp.message).toBe('The DPoP proof is malformed or its signature does not verify.');
    expect(badTyp.cause).toMatchObject({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED' });
  });

  it('refuses a proof whose embedded jwk is not an object as malformed, not as another key', async () => {
    const key = await createDpopKey();
    const { verify } = setUp();
    const err = await refusal(verify(await request(key, [await proofOf(key, {}, { jwk: null })])));
    expect(err.message).toBe('The DPoP proof is malformed or its signature does not verify.');
  });

  it.each([
    ['an empty jti', { jti: '' }],
    ['a jti that is not a string', { jti: 7 }],
    ['a jti over 256 characters', { jti: 'x'.repeat(257) }],
  ])('refuses %s', async (_name, claims) => {
    const key = await createDpopKey();
    const { verify, uses } = setUp();
    const err = await refusal(verify(await request(key, [await proofOf(key, claims)])));
    expect(err).toMatchObject({
      code: 'invalid_dpop_proof',
      message: 'The DPoP proof needs a jti.',
    });
    expect(uses).toEqual([]);
  });

  it('accepts a jti of exactly 256 characters', async () => {
    const key = await createDpopKey();
    const { verify } = setUp();
    const proof = await proofOf(key, { jti: 'x'.repeat(256) });
    await expect(verify(await request(key, [proof]))).resolves.toBeTruthy();
  });

  it.each([
    // A list reads as its one URL when made a string: refused all the same.
    ['an htu that is not a string', { htu: [HTU] }],
    ['an htu that is not a URL', { htu: 'not a url' }],
  ])('refuses %s', async (_name, claims) => {
    const key = await createDpopKey();
    const { verify } = setUp();
    const err = await refusal(verify(await request(key, [await proofOf(key, claims)])));
    expect(err.message).toBe('The DPoP proof is for another URL.');
  });

  it(`accepts iat exactly ${IAT_WINDOW_SECONDS} s off; one second more asks for a nonce`, async () => {
    const key = await createDpopKey();
    const { verify } = setUp();
    for (const iat of [nowSeconds - IAT_WINDOW_SECONDS, nowSeconds + IAT_WINDOW_SECONDS]) {
      await expect(verify(await request(key, [await proofOf(key, { iat })]))).resolves.toBeTruthy();
    }
    const err = await refusal(
      verify(
        await request(key, [await proofOf(key, { iat: nowSeconds - IAT_WINDOW_SECONDS - 1 })]),
      ),
    );
    expect(err).toMatchObject({
      code: 'use_dpop_nonce',
      message: 'The DPoP proof is not recent: use a nonce.',
    });
  });

  it.each([
    ['a nonce that is not a string', (valid: string) => [valid]],
    ['a forged nonce', () => 'abc.AAAAAAAAAAAAAAAAAAAAAA'],
  ])('asks for a new nonce on %s', async (_name, nonceOf) => {
    const key = await createDpopKey();
    const { verify, nonces } = setUp();
    const nonce = nonceOf(nonces.current());
    const err = await refusal(verify(await request(key, [await proofOf(key, { nonce })])));
    expect(err).toMatchObject({
      code: 'use_dpop_nonce',
      message: 'The DPoP nonce is unknown or expired.',
    });
  });

  it('with a valid nonce, the proof counts from the nonce, whatever its iat', async () => {
    const key = await createDpopKey();
    const { verify, uses, nonces } = setUp();
    const nonce = nonces.current();
    const proof = await proofOf(key, { nonce, iat: nowSeconds - 3600 });
    await expect(verify(await request(key, [proof]))).resolves.toEqual({ nextNonce: undefined });
    expect(uses[0]?.earliestUse).toBe(nonces.issuedAt(nonce));
  });

  it('checks ath against the hash it is given, or computes it', async () => {
    const key = await createDpopKey();
    const { verify } = setUp();
    const proof = await proofOf(key);
    await expect(
      verify(await request(key, [proof], { accessTokenSha256: ath(TOKEN) })),
    ).resolves.toBeTruthy();
    const err = await refusal(
      verify(await request(key, [await proofOf(key)], { accessTokenSha256: ath('another') })),
    );
    expect(err.message).toBe('The DPoP proof is not for this access token (ath).');
  });

  it('refuses a replay the cache reports', async () => {
    const key = await createDpopKey();
    const { verify } = setUp(false);
    const err = await refusal(verify(await request(key, [await proofOf(key)])));
    expect(err).toMatchObject({
      code: 'invalid_dpop_proof',
      message: 'The DPoP proof was already used.',
    });
  });

  it('lets an error that is not about the proof through unchanged', async () => {
    const key = await createDpopKey();
    const broken = new RangeError('clock broken');
    const verify = createDpopProofVerifier({
      nonces: createDpopNonces('secret'),
      replays: { firstUse: async () => true },
      now: () => {
        throw broken;
      },
    });
    await expect(verify(await request(key, [await proofOf(key)]))).rejects.toBe(broken);
  });
});
