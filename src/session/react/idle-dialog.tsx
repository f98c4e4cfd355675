import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { IdleWatch } from '../idle-watch.ts';

/**
 * The last stretch before an idle timeout: a modal dialog (native <dialog>: focus moves in
 * and stays, Escape counts as "stay") with a countdown, and "Stay signed in" focused.
 */
export function IdleDialog({ watch, onTimeout }: { watch: IdleWatch; onTimeout: () => void }) {
  const { warningMsLeft, timedOut } = useSyncExternalStore(watch.subscribe, watch.snapshot);
  const dialog = useRef<HTMLDialogElement>(null);
  const open = warningMsLeft !== null && !timedOut;

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal?.();
    if (!open && element.open) element.close();
  }, [open]);

  useEffect(() => {
    if (timedOut) onTimeout();
  }, [timedOut, onTimeout]);

  const seconds = Math.ceil((warningMsLeft ?? 0) / 1000);
  return (
    <dialog
      ref={dialog}
      className="idle-dialog"
      aria-labelledby="idle-title"
      aria-describedby="idle-text"
      onCancel={(event) => {
        event.preventDefault();
        watch.active();
      }}
    >
      <h2 id="idle-title">Are you still there?</h2>
      <p id="idle-text">
        For your security you will be signed out in{' '}
        <span role="timer">{seconds === 1 ? '1 second' : `${seconds} seconds`}</span> unless you
        continue. Anything you typed is kept.
      </p>
      <button type="button" className="primary" onClick={watch.active}>
        Stay signed in
      </button>
    </dialog>
  );
}
