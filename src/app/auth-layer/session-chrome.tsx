import { useCallback } from 'react';
import { useAuth } from 'react-oidc-context';
import { Link } from 'react-router';
import { signOut } from '../../auth/sign-in/sign-out.ts';
import { IdleDialog } from '../../session/react/idle-dialog.tsx';
import {
  SessionEndedNotice,
  SessionIndicator,
  SessionLog,
} from '../../session/react/session-status.tsx';
import { useAppServices } from './app-services-context.ts';

// The parts of the page frame that need the auth and session layer: they load with it
// (auth-layer.tsx), and the shell's root-layout.tsx shows them once the session is known.

export function HeaderAuth() {
  const auth = useAuth();
  const { auth: registry, session } = useAppServices();
  const name = auth.user?.profile.name ?? auth.user?.profile.preferred_username;
  if (!auth.user) return <nav aria-label="Main" />;
  return (
    <>
      <nav aria-label="Main">
        <Link to="/contacts">Your contacts</Link>
        <Link to="/account">Account</Link>
      </nav>
      <div className="identity">
        <span>
          Signed in as <strong>{name ?? 'an unnamed user'}</strong>
          {registry.providers.length > 1 ? ` with ${registry.active.label}` : null}
        </span>
        <SessionIndicator />
        <button
          type="button"
          onClick={async () => {
            // Every tab forgets the session, and nothing of the account stays behind.
            await session.signOutEverywhere();
            await signOut(registry.userManager, registry.active.logout);
          }}
        >
          Sign out
        </button>
      </div>
    </>
  );
}

export function SessionNotices() {
  const auth = useAuth();
  const { session } = useAppServices();
  const endForIdle = useCallback(() => void session.endForIdle(), [session]);
  return (
    <>
      <SessionEndedNotice />
      {auth.user && session.idle ? (
        <IdleDialog watch={session.idle} onTimeout={endForIdle} />
      ) : null}
    </>
  );
}

export function SessionFooter() {
  return <SessionLog />;
}
