// Runs a task when the page comes back to the user (focus, visibilitychange to visible,
// online) and every `everyMs` while it is visible; never while hidden (the timer stops), and
// never twice at once (a trigger during a run is dropped: the run under way answers it).

export interface WhileVisibleOptions {
  everyMs: number;
  /** Told each run's failure (the next trigger simply tries again). */
  onError?: (error: unknown) => void;
  target?: { window: Window; document: Document };
}

/** Starts watching; returns the stop. */
export function whileVisible(
  task: (trigger: string) => Promise<unknown>,
  { everyMs, onError, target = { window, document } }: WhileVisibleOptions,
): () => void {
  const { window: win, document: doc } = target;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let stopped = false;
  const visible = () => doc.visibilityState === 'visible';
  const schedule = () => {
    clearTimeout(timer);
    timer = !stopped && visible() ? setTimeout(() => run('interval'), everyMs) : undefined;
  };
  const run = (trigger: string) => {
    if (running || stopped || !visible()) return;
    running = true;
    clearTimeout(timer);
    task(trigger)
      .catch((error: unknown) => onError?.(error))
      .finally(() => {
        running = false;
        schedule(); // the next interval counts from this run
      });
  };
  const onFocus = () => run('focus');
  const onOnline = () => run('online');
  const onVisibility = () => (visible() ? run('visible') : schedule());
  win.addEventListener('focus', onFocus);
  win.addEventListener('online', onOnline);
  doc.addEventListener('visibilitychange', onVisibility);
  schedule();
  return () => {
    stopped = true;
    clearTimeout(timer);
    win.removeEventListener('focus', onFocus);
    win.removeEventListener('online', onOnline);
    doc.removeEventListener('visibilitychange', onVisibility);
  };
}
