// Revalidation while the user can see the page, and none while they cannot.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { whileVisible } from './while-visible.ts';

let visibility: DocumentVisibilityState = 'visible';
const setVisibility = (state: DocumentVisibilityState) => {
  visibility = state;
  document.dispatchEvent(new Event('visibilitychange'));
};

describe('whileVisible', () => {
  let stop = () => {};
  const triggers: string[] = [];
  const start = (task = async (trigger: string) => void triggers.push(trigger)) => {
    stop = whileVisible(task, { everyMs: 60_000 });
  };
  beforeEach(() => {
    vi.useFakeTimers();
    visibility = 'visible';
    vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
    triggers.length = 0;
  });
  afterEach(() => {
    stop();
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('runs every interval while visible', async () => {
    start();
    await vi.advanceTimersByTimeAsync(60_000 * 3);
    expect(triggers).toEqual(['interval', 'interval', 'interval']);
  });

  it('runs on focus, on online and on becoming visible', async () => {
    start();
    window.dispatchEvent(new Event('focus'));
    await vi.advanceTimersByTimeAsync(0);
    window.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(0);
    setVisibility('hidden');
    setVisibility('visible');
    await vi.advanceTimersByTimeAsync(0);
    expect(triggers).toEqual(['focus', 'online', 'visible']);
  });

  it('never runs while hidden, not even on a focus or online event', async () => {
    start();
    setVisibility('hidden');
    window.dispatchEvent(new Event('online'));
    window.dispatchEvent(new Event('focus'));
    await vi.advanceTimersByTimeAsync(60_000 * 10);
    expect(triggers).toEqual([]);
    // Positive control: the same wait, visible, runs it.
    setVisibility('visible');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(triggers).toEqual(['visible', 'interval']);
  });

  it('never runs twice at once; the interval counts from the end of the last run', async () => {
    let finish = () => {};
    start(async (trigger) => {
      triggers.push(trigger);
      await new Promise<void>((resolve) => {
        finish = resolve;
      });
    });
    window.dispatchEvent(new Event('focus'));
    setVisibility('visible');
    window.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(120_000);
    expect(triggers).toEqual(['focus']);
    finish();
    await vi.advanceTimersByTimeAsync(59_999);
    expect(triggers).toEqual(['focus']);
    await vi.advanceTimersByTimeAsync(1);
    expect(triggers).toEqual(['focus', 'interval']);
  });

  it('goes on after a failed run, and stops for good when stopped', async () => {
    const errors: unknown[] = [];
    stop = whileVisible(
      async (trigger) => {
        triggers.push(trigger);
        throw new Error('offline');
      },
      { everyMs: 1_000, onError: (error) => errors.push(error) },
    );
    await vi.advanceTimersByTimeAsync(2_000);
    expect(triggers).toEqual(['interval', 'interval']);
    expect(errors).toHaveLength(2);
    stop();
    window.dispatchEvent(new Event('focus'));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(triggers).toHaveLength(2);
  });
});
