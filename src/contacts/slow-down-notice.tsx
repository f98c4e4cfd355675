import { useSyncExternalStore } from 'react';
import type { SlowDown } from './slow-down.ts';

/** Says, politely and once, that a request waits because the API asked the app to slow down. */
export function SlowDownNotice({ slowDown }: { slowDown: SlowDown }) {
  const seconds = useSyncExternalStore(slowDown.subscribe, slowDown.seconds);
  return (
    <p className="pending" role="status">
      {seconds > 0
        ? `The contacts service asked this app to slow down. Trying again in ${seconds} s; nothing you typed is lost.`
        : null}
    </p>
  );
}
