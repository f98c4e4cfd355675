// The API with its DPoP replay cache in a Redis of the test's own (private-redis.ts), while
// that Redis stalls, dies, and comes back empty: 503 with Retry-After while it cannot check
// a proof (never a proof accepted unchecked), back by itself, and a proof used before a data
// loss is still refused afterwards. Never the machine's shared Redis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDpopKey, createProof, type DpopKey } from '../dpop-test-proofs.ts';
import { type PrivateRedis, startPrivateRedis } from './private-redis.ts';
import { type Answer, type Harness, startHarness } from './test-harness.ts';
import { AUDIENCE } from './test-tokens.ts';

const HTU = `${AUDIENCE}/contacts`;

describe('the API when its Redis goes away', () => {
  let redis: PrivateRedis;
  let h: Harness;
  let key: DpopKey;
  let token: string;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    h = await startHarness({ redis: { url: redis.url, keyPrefix: 'contacts-api:' } });
    await h.api.store.createContact({ iss: h.issuer.issuer, sub: 'sub-alice' }, { name: 'Ada' });
    key = await createDpopKey();
    token = await h.mint('sub-alice', { claims: { cnf: { jkt: key.jkt } } });
  });
  afterAll(async () => {
    await h?.close();
    await redis?.stop();
  });

  const proof = (iat?: number) =>
    createProof(key, { htu: HTU, token, ...(iat ? { claims: { iat } } : {}) });
  const send = (dpop: string) =>
    h.call('/contacts', { headers: { authorization: `DPoP ${token}`, dpop } });
  const expectUnavailable = (answer: Answer) => {
    expect(answer.status).toBe(503);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(answer.body).toMatchObject({ status: 503, title: 'Service Unavailable' });
  };
  /** 401 `use_dpop_nonce` with a new nonce in DPoP-Nonce (RFC 9449 §9); returns it. */
  const expectNonceChallenge = (answer: Answer) => {
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toMatch(/^DPoP .*error="use_dpop_nonce"/);
    expect(answer.body.detail).toMatch(/reset/);
    const nonce = answer.headers.get('dpop-nonce');
    expect(nonce).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]{22}$/);
    return nonce ?? '';
  };
  /** Asks until Redis answers again: until the API says something but "unavailable". */
  async function untilAnswered(make: () => Promise<Answer>): Promise<Answer> {
    for (let i = 0; ; i += 1) {
      const answer = await make();
      if (!/right now/.test(String(answer.body.detail)) || i > 100) return answer;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('stalled: 503 while it does not answer, then back by itself; nothing forgotten', async () => {
    const before = await proof();
    expect((await send(before)).status).toBe(200); // positive control
    redis.pause();
    try {
      const started = Date.now();
      expectUnavailable(await send(await proof()));
      expect(Date.now() - started).toBeLessThan(5_000); // the command timeout, not a hang
      const ready = await h.call('/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.reasons).toEqual([expect.stringMatching(/^redis: /)]);
    } finally {
      redis.resume();
    }
    expect((await untilAnswered(async () => send(await proof()))).status).toBe(200);
    // The proof used before the stall is still remembered.
    expect((await send(before)).status).toBe(401);
    expect((await h.call('/ready')).status).toBe(200);
  });

  it('gone, then back empty: 503 meanwhile; a proof used before the loss is not accepted again', async () => {
    const before = await proof();
    expect((await send(before)).status).toBe(200); // positive control
    await redis.kill();
    expectUnavailable(await send(await proof()));
    await redis.restart(); // the same port, no data: every replay key is gone
    // Refused, never accepted: the client is asked for a proof with a nonce made since.
    const replayed = await untilAnswered(() => send(before));
    expectNonceChallenge(replayed);
    // So is an honest proof made now (its iat window began before the loss)...
    const challenged = await send(await proof());
    const nonce = expectNonceChallenge(challenged);
    // ...whose client retries at once with the nonce: accepted, and once only.
    const retried = await createProof(key, { htu: HTU, token, claims: { nonce } });
    expect((await send(retried)).status).toBe(200);
    expect((await send(retried)).status).toBe(401);
    // The proof from before the loss still never passes, nonce or not.
    expect((await send(before)).status).toBe(401);
  });
});
