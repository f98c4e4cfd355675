import { describe, expect, it } from 'vitest';
import { createDpopNonces } from './dpop-nonce.ts';

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

  it('after a given time: one made no earlier, accepted, the same in every process', () => {
    let time = 1_800_000_030_000; // half a minute into a step
    const nonces = createDpopNonces('secret', () => time);
    const other = createDpopNonces('secret', () => time);
    const since = time - 10_000;
    const nonce = nonces.after(since);
    expect(nonces.issuedAt(nonce)).toBe(since);
    expect(nonce).not.toBe(nonces.current()); // the minute's began before `since`
    expect(other.after(since)).toBe(nonce);
    expect(other.check(nonce)).toBe('fresh');
    // Made at `since` for its whole life: stale two minutes on, refused five minutes on.
    time = since + 2 * 60_000;
    expect(nonces.check(nonce)).toBe('stale');
    time = since + 5 * 60_000;
    expect(nonces.check(nonce)).toBe('invalid');
    // `since` before the minute began: the minute's own nonce will do.
    expect(nonces.after(since)).toBe(nonces.current());
  });

  it('say when their minute began: no proof with one can be older', () => {
    const time = 1_800_000_030_000;
    const nonces = createDpopNonces('secret', () => time);
    expect(nonces.issuedAt(nonces.current())).toBe(1_800_000_000_000);
  });
});
