// Why the rule exists: two API processes (each its own replay cache view) behind one URL. In
// their own memories, a proof used at one passes again at the other; with REDIS_URL (a
// redis-server of the test's own) the second use is refused, whichever process gets it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDpopKey, createProof, type DpopKey } from '../dpop-test-proofs.ts';
import { type PrivateRedis, startPrivateRedis } from './private-redis.ts';
import type { RunningApi } from './server.ts';
import { type Harness, startHarness } from './test-harness.ts';
import { AUDIENCE } from './test-tokens.ts';

describe.each([
  ['in each process', false, 200],
  ['in Redis', true, 401],
] as const)(
  'a proof replayed to another API process, replay cache %s',
  (_where, shared, replayStatus) => {
    let redis: PrivateRedis | undefined;
    let h: Harness;
    let second: RunningApi;
    let key: DpopKey;
    let token: string;

    beforeAll(async () => {
      redis = shared ? await startPrivateRedis() : undefined;
      h = await startHarness(
        redis ? { redis: { url: redis.url, keyPrefix: 'contacts-api:' } } : {},
      );
      second = await h.startWorker();
      key = await createDpopKey();
      token = await h.mint('sub-alice', { claims: { cnf: { jkt: key.jkt } } });
    });
    afterAll(async () => {
      await h?.close();
      await redis?.stop();
    });

    const send = (dpop: string, via?: RunningApi) =>
      h.call('/contacts', { via, headers: { authorization: `DPoP ${token}`, dpop } });

    it(`is answered ${replayStatus} there`, async () => {
      const proof = await createProof(key, { htu: `${AUDIENCE}/contacts`, token });
      expect((await send(proof)).status).toBe(200); // positive control: fresh, at process 1
      const replayed = await send(proof, second);
      expect(replayed.status).toBe(replayStatus);
      if (replayStatus === 401) expect(replayed.body.detail).toMatch(/already used/);
      expect((await send(proof)).status).toBe(401); // process 1 remembers it either way
    });
  },
);
