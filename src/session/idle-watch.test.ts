import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { memoryTabNetwork, type TabBroadcast } from '../lib/tab-broadcast.ts';
import { IdleWatch, idleDeadlinePassed, lastActivityKey } from './idle-watch.ts';

describe('IdleWatch', () => {
  let watch: IdleWatch | undefined;
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    watch?.stop();
    vi.useRealTimers();
  });

  const start = (channel: TabBroadcast<'activity'> | null = null) => {
    watch = new IdleWatch(10 * 60_000, channel, () => Date.now());
    return watch;
  };

  it('warns in the last minute, counting down, and times out at zero', () => {
    const idle = start();
    vi.advanceTimersByTime(9 * 60_000 - 1_000);
    expect(idle.snapshot()).toEqual({ warningMsLeft: null, timedOut: false });
    vi.advanceTimersByTime(2_000);
    expect(idle.snapshot().warningMsLeft).toBeLessThanOrEqual(59_000);
    vi.advanceTimersByTime(60_000);
    expect(idle.snapshot().timedOut).toBe(true);
  });

  it('any input, or "Stay signed in", starts the wait again', () => {
    const idle = start();
    vi.advanceTimersByTime(9.5 * 60_000);
    expect(idle.snapshot().warningMsLeft).not.toBeNull();
    window.dispatchEvent(new KeyboardEvent('keydown'));
    expect(idle.snapshot()).toEqual({ warningMsLeft: null, timedOut: false });
    vi.advanceTimersByTime(9.5 * 60_000);
    idle.active();
    vi.advanceTimersByTime(9 * 60_000);
    expect(idle.snapshot().timedOut).toBe(false);
  });

  it('activity in another tab counts', async () => {
    const network = memoryTabNetwork<'activity'>();
    const otherTab = network.join();
    const heard: string[] = [];
    otherTab.listen((message) => heard.push(message));
    const idle = start(network.join());
    vi.advanceTimersByTime(9.5 * 60_000);
    otherTab.post('activity');
    await Promise.resolve(); // delivered like BroadcastChannel: not synchronously
    expect(idle.snapshot().warningMsLeft).toBeNull();
    idle.active();
    await Promise.resolve();
    expect(heard).toEqual(['activity']);
  });

  it('counts a laptop asleep: the monotonic clock stopped, the wall clock did not', () => {
    const frozen = 1_000; // performance.now() while asleep
    watch = new IdleWatch(
      10 * 60_000,
      null,
      () => frozen,
      undefined,
      () => Date.now(),
    );
    vi.advanceTimersByTime(11 * 60_000);
    expect(watch.snapshot().timedOut).toBe(true);
  });

  it('keeps the last activity it shares, for an app opened again later', () => {
    const kept: number[] = [];
    watch = new IdleWatch(
      10 * 60_000,
      null,
      () => Date.now(),
      undefined,
      () => Date.now(),
      (at) => kept.push(at),
    );
    vi.advanceTimersByTime(60_000);
    window.dispatchEvent(new KeyboardEvent('keydown'));
    expect(kept).toEqual([Date.now()]);
    window.dispatchEvent(new KeyboardEvent('keydown')); // within 5 s: not shared again
    expect(kept).toHaveLength(1);
  });
});

describe('idleDeadlinePassed', () => {
  const storage = () => {
    const items = new Map<string, string>();
    return {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => void items.set(key, value),
    } as unknown as Storage;
  };

  it('reads the kept last activity: past the timeout, or not; nothing kept, not passed', () => {
    const kept = storage();
    expect(idleDeadlinePassed('s', 60_000, 1_000_000, kept)).toBe(false);
    kept.setItem(lastActivityKey('s'), String(1_000_000 - 60_000));
    expect(idleDeadlinePassed('s', 60_000, 1_000_000, kept)).toBe(true);
    expect(idleDeadlinePassed('s', 60_001, 1_000_000, kept)).toBe(false);
    expect(idleDeadlinePassed('other', 60_000, 1_000_000, kept)).toBe(false);
  });
});
