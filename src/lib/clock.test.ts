import { describe, expect, it } from 'vitest';
import { anchoredClock } from './clock.ts';

describe('anchoredClock', () => {
  it('carries the server time forward on the monotonic clock, whatever the device clock does', () => {
    let device = 1_000_000;
    let monotonic = 50;
    const clock = anchoredClock(
      -5_000,
      () => device,
      () => monotonic,
    );
    expect(clock.now()).toBe(995_000);
    monotonic += 2_000;
    device += 2_000 + 600_000; // the device clock jumps ten minutes ahead
    expect(clock.now()).toBe(997_000);
  });

  it('takes a new measurement on resync', () => {
    let device = 1_000_000;
    let monotonic = 0;
    const clock = anchoredClock(
      0,
      () => device,
      () => monotonic,
    );
    device += 3_600_000; // slept an hour, which the monotonic clock did not count
    monotonic += 10;
    clock.resync(0);
    expect(clock.now()).toBe(4_600_000);
  });
});
