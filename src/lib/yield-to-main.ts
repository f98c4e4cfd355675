// Long work (parsing a 10,000-contact file) in slices, so the page keeps answering: the work
// checks `due()` between items and awaits `yieldToMain()` when its slice is spent.

const SLICE_MS = 12;

interface Scheduler {
  yield?: () => Promise<void>;
}

/** Lets the browser paint and handle input, then continues (scheduler.yield where there is one). */
export function yieldToMain(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Scheduler }).scheduler;
  if (scheduler?.yield) return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A clock for one slice: `due()` is true once SLICE_MS have passed since the last `yield()`. */
export function timeSlices(signal?: AbortSignal) {
  let start = performance.now();
  return {
    due: () => performance.now() - start >= SLICE_MS,
    async yield() {
      await yieldToMain();
      signal?.throwIfAborted();
      start = performance.now();
    },
  };
}
