import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IdleWatch } from './idle-watch.ts';

describe('IdleWatch', () => {
  let watch: IdleWatch | undefined;
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    watch?.stop();
    vi.useRealTimers();
  });

  const start = (channel: BroadcastChannel | null = null) => {
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

  it('activity in another tab counts', () => {
    const listeners: ((event: MessageEvent) => void)[] = [];
    const channel = {
      addEventListener: (_: string, listener: (event: MessageEvent) => void) =>
        listeners.push(listener),
      postMessage: vi.fn(),
    } as unknown as BroadcastChannel;
    const idle = start(channel);
    vi.advanceTimersByTime(9.5 * 60_000);
    for (const listener of listeners) listener(new MessageEvent('message', { data: 'activity' }));
    expect(idle.snapshot().warningMsLeft).toBeNull();
    idle.active();
    expect(channel.postMessage).toHaveBeenCalledWith('activity');
  });
});
