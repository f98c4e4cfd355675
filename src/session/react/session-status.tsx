import { useEffect } from 'react';
import './session.css';
import { useAuth } from 'react-oidc-context';
import { currentPath } from '../../auth/sign-in/return-to.ts';
import { startSignIn } from '../../auth/sign-in/sign-in.ts';
import type { SessionStatus } from '../session-types.ts';
import { useSession, useSessionLog } from './use-session.ts';

const LABELS: Record<SessionStatus, string> = {
  'signed-out': 'Signed out',
  active: 'Session active',
  renewing: 'Session active', // a renewal is routine: nothing to tell the user
  retrying: 'Reconnecting…',
  offline: 'Offline, will reconnect',
  expired: 'Session expired',
};

/** A quiet indicator for the header: one word or two, announced politely when it changes. */
export function SessionIndicator() {
  const { status } = useSession();
  if (status === 'signed-out') return null;
  return (
    <span className="session-indicator" data-session-status={status} aria-live="polite">
      {LABELS[status]}
    </span>
  );
}

const NO_SESSION_AT_PROVIDER = new Set(['login_required', 'interaction_required']);

/**
 * The session is over or cannot be renewed: a non-blocking notice. The page and any unsaved
 * input stay (drafts.ts); "Sign in again" comes back to this very address.
 */
export function SessionEndedNotice({ signIn = startSignIn }: { signIn?: typeof startSignIn }) {
  const { status, reason, final, session } = useSession();
  const auth = useAuth();
  const expired = status === 'expired';
  const userManager = session.manager;
  const hadRefreshToken = Boolean(auth.user?.refresh_token);
  const goSignIn = () => void signIn(userManager, currentPath(window.location));

  useEffect(() => {
    // Without a refresh token the renewal was a prompt=none iframe; login_required there
    // usually means third-party cookies are blocked: a top-level redirect still works.
    if (expired && final && !hadRefreshToken && NO_SESSION_AT_PROVIDER.has(reason ?? '')) {
      void signIn(userManager, currentPath(window.location), { automatic: true });
    }
  }, [expired, final, hadRefreshToken, reason, signIn, userManager]);

  if (!expired) return null;
  return (
    <div className="session-notice" role="status">
      <p>
        {reason === 'idle_timeout'
          ? 'You were signed out after a while without activity.'
          : final
            ? 'Your session has ended.'
            : 'Your session expired while the sign-in service could not be reached.'}{' '}
        Anything you typed is kept.
      </p>
      <button type="button" className="primary" onClick={goSignIn}>
        Sign in again
      </button>
    </div>
  );
}

/** The event log, folded away, for QA. */
export function SessionLog() {
  const events = useSessionLog();
  if (events.length === 0) return null;
  return (
    <details className="session-log">
      <summary>Session log ({events.length})</summary>
      <ol>
        {events.map((event) => (
          <li key={event.seq} data-kind={event.kind}>
            <time dateTime={event.at}>{event.at.slice(11, 23)}</time> {event.kind}
            {event.detail ? `: ${event.detail}` : null}
          </li>
        ))}
      </ol>
    </details>
  );
}
