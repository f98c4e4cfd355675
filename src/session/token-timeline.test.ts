// The token's timeline at its edges: the exact millisecond a token counts as expired or due.
import { describe, expect, it } from 'vitest';
import { TokenTimeline } from './token-timeline.ts';

function timeline(marginMs = 60_000) {
  let now = 1_000_000;
  const line = new TokenTimeline(() => now, marginMs);
  return {
    line,
    at: (ms: number) => {
      now = 1_000_000 + ms;
    },
  };
}

describe('TokenTimeline', () => {
  it('counts the time left down to 0, never below', () => {
    const { line, at } = timeline();
    line.start(15_000);
    expect(line.lifetimeMs).toBe(15_000);
    at(4_000);
    expect(line.msLeft()).toBe(11_000);
    at(20_000);
    expect(line.msLeft()).toBe(0);
  });

  it('a handed-over token keeps its lifetime but has only what is left of it', () => {
    const { line, at } = timeline();
    line.start(15_000, 5_000);
    expect(line.lifetimeMs).toBe(15_000);
    expect(line.msLeft()).toBe(5_000);
    // Due 4.5 s before expiry (30 % of 15 s): at 0.5 s.
    at(249);
    expect(line.isDue()).toBe(false);
    at(250);
    expect(line.isDue()).toBe(true);
  });

  it('expires at the exact millisecond, and "within" counts from there', () => {
    const { line, at } = timeline();
    line.start(15_000);
    at(14_999);
    expect(line.expiresWithin(0)).toBe(false);
    expect(line.expiresWithin(1)).toBe(true);
    at(15_000);
    expect(line.expiresWithin(0)).toBe(true);
  });

  it('is due 250 ms before the renewal time (timers fire early), not sooner', () => {
    const { line, at } = timeline();
    line.start(15_000); // renewal at 10.5 s
    expect(line.msUntilDue()).toBe(10_500);
    at(10_249);
    expect(line.isDue()).toBe(false);
    expect(line.msUntilDue()).toBe(251);
    at(10_250);
    expect(line.isDue()).toBe(true);
    at(12_000);
    expect(line.msUntilDue()).toBe(0);
  });

  it('uses the configured margin for a long token', () => {
    const { line, at } = timeline(30_000);
    line.start(300_000);
    expect(line.msUntilDue()).toBe(270_000);
    at(269_749);
    expect(line.isDue()).toBe(false);
  });

  it('expireNow: due and expired at once, with no lifetime', () => {
    const { line } = timeline();
    line.start(15_000);
    line.expireNow();
    expect(line.lifetimeMs).toBe(0);
    expect(line.msLeft()).toBe(0);
    expect(line.expiresWithin(0)).toBe(true);
    expect(line.isDue()).toBe(true);
  });

  it('clear: nothing is left', () => {
    const { line } = timeline();
    line.start(15_000);
    line.clear();
    expect(line.msLeft()).toBe(0);
    expect(line.expiresWithin(0)).toBe(true);
  });
});
