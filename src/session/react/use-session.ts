import { createContext, useContext, useSyncExternalStore } from 'react';
import type { Session } from '../create-session.ts';
import type { SessionEvent } from '../session-events.ts';
import type { SessionSnapshot } from '../session-types.ts';

export const SessionContext = createContext<Session | null>(null);

function useSessionContext(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside SessionContext');
  return session;
}

/**
 * The session's status (active, renewing, retrying, offline, expired, signed-out). Renewals
 * change nothing else the UI reads, so they never make a page refetch its data.
 */
export function useSession(): SessionSnapshot & { session: Session } {
  const session = useSessionContext();
  const snapshot = useSyncExternalStore(session.keeper.subscribe, session.keeper.snapshot);
  return { ...snapshot, session };
}

/** What the session layer did, newest last (never tokens). */
export function useSessionLog(): readonly SessionEvent[] {
  const { log } = useSessionContext();
  return useSyncExternalStore(
    (listener) => log.subscribe(listener),
    () => log.list(),
  );
}
