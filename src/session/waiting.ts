// Two ways the keeper waits without blocking the tab: a backoff sleep that a re-check
// (online, visible again) can cut short, and a wait for a condition another tab's message
// makes true (a handed-over session), with a time limit.

export class WakeableSleep {
  private wakeUp: (() => void) | null = null;

  get sleeping(): boolean {
    return this.wakeUp !== null;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(), ms);
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
      this.wakeUp = done;
    });
  }

  wake(): void {
    this.wakeUp?.();
  }
}

export class ConditionWaiters {
  private readonly waiters = new Set<() => void>();

  /** Resolves true once `condition` holds (checked on every `notify`), false after `ms`. */
  waitUntil(condition: () => boolean, ms: number): Promise<boolean> {
    if (condition()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (condition()) finish();
      };
      const timer = setTimeout(() => finish(), ms);
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(condition());
      };
      this.waiters.add(check);
    });
  }

  notify(): void {
    for (const waiter of this.waiters) waiter();
  }
}
