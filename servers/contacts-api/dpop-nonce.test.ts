import { describe, expect, it } from 'vitest';
import { createDpopNonces, NONCE_LIFETIME_MS } from './dpop-nonce.ts';
import { createReplayCache } from './dpop-replay-cache.ts';

describe('DPoP nonces', () => {
  it('are fresh for a minute or two, then stale, then refused', () => {
    let time = 1_800_000_000_000;
    const nonces = createDpopNonces('secret', () => time);
    const nonce = nonces.current();
    expect(nonces.check(nonce)).toBe('fresh');
    time += 2 * 60_000;
    expect(nonces.check(nonce)).toBe('stale');
    expect(nonces.current()).not.toBe(nonce);
    time += 3 * 60_000;
    expect(nonces.check(nonce)).toBe('invalid');
  });

  it('from another secret, from the future or tampered with are refused', () => {
    let time = 1_800_000_000_000;
    const ours = createDpopNonces('secret', () => time);
    const theirs = createDpopNonces('other', () => time);
    expect(ours.check(theirs.current())).toBe('invalid');
    time += 60_000;
    const future = ours.current();
    time -= 60_000;
    expect(ours.check(future)).toBe('invalid');
    expect(ours.check(`${ours.current()}x`)).toBe('invalid');
  });
});

describe('replay cache', () => {
  it('refuses a second use within the retention time, allows it after', () => {
    let time = 0;
    const cache = createReplayCache({ retentionMs: NONCE_LIFETIME_MS, now: () => time });
    expect(cache.firstUse('a')).toBe(true);
    expect(cache.firstUse('a')).toBe(false);
    time += NONCE_LIFETIME_MS + 1;
    expect(cache.firstUse('a')).toBe(true);
  });

  it('stays bounded: past maxEntries the oldest entry goes first', () => {
    const cache = createReplayCache({ retentionMs: 60_000, maxEntries: 2, now: () => 0 });
    for (const key of ['a', 'b', 'c']) expect(cache.firstUse(key)).toBe(true);
    expect(cache.firstUse('c')).toBe(false);
    expect(cache.firstUse('a')).toBe(true); // evicted early: the documented trade-off
  });
});
