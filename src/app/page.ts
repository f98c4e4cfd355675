// The page before React: plain DOM lines in the app's place, and a way to let the main
// thread's more urgent work go first.

/** A line of plain DOM in the app's place (React replaces it when it renders). */
export function showPlainLine(
  container: HTMLElement,
  role: 'status' | 'alert',
  className: string,
  text: string,
): void {
  const line = document.createElement('p');
  line.setAttribute('role', role);
  line.className = className;
  line.textContent = text;
  container.replaceChildren(line);
}

interface PostTaskScheduler {
  postTask(task: () => void, options: { priority: 'background' }): Promise<void>;
}

/**
 * Resolves when the main thread has nothing more urgent to run. After a sign-in the first
 * contacts request's own steps (reading the DPoP key, signing the proof) then go before the
 * shell's evaluation and first render.
 */
export function whenMainThreadIsFree(): Promise<void> {
  const { scheduler } = window as { scheduler?: PostTaskScheduler };
  if (scheduler) return scheduler.postTask(() => undefined, { priority: 'background' });
  return new Promise((resolve) => setTimeout(resolve, 0));
}
