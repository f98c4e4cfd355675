import { useCallback } from 'react';
import { useAuth } from 'react-oidc-context';
import { Link, Outlet, useNavigation } from 'react-router';
import { signOut } from '../auth/sign-out.ts';
import { clearAllDrafts } from '../session/drafts.ts';
import { IdleDialog } from '../session/idle-dialog.tsx';
import { SessionEndedNotice, SessionIndicator, SessionLog } from '../session/session-status.tsx';
import { ListSkeleton } from '../ui/list-skeleton.tsx';
import { useAppServices } from './app-services.tsx';

export function RootLayout() {
  const auth = useAuth();
  const { auth: registry, session } = useAppServices();
  const navigation = useNavigation();
  const endForIdle = useCallback(() => void session.keeper.endSession('idle_timeout'), [session]);
  // Arriving at the contacts from elsewhere: the list's shape at once, not a blank wait.
  const opensContacts =
    navigation.state === 'loading' &&
    navigation.location.pathname === '/contacts' &&
    !window.location.pathname.startsWith('/contacts');
  const name = auth.user?.profile.name ?? auth.user?.profile.preferred_username;

  return (
    <div className="shell">
      <header className="app-header">
        <Link to="/" className="brand">
          Contacts
        </Link>
        <nav aria-label="Main">
          {auth.user ? (
            <>
              <Link to="/contacts">Your contacts</Link>
              <Link to="/account">Account</Link>
            </>
          ) : null}
        </nav>
        {auth.user ? (
          <div className="identity">
            <span>
              Signed in as <strong>{name ?? 'an unnamed user'}</strong>
              {registry.providers.length > 1 ? ` with ${registry.active.label}` : null}
            </span>
            <SessionIndicator />
            <button
              type="button"
              onClick={async () => {
                // Every tab forgets the session, and nobody's drafts stay behind.
                await session.keeper.signOut();
                clearAllDrafts();
                await signOut(registry.userManager);
              }}
            >
              Sign out
            </button>
          </div>
        ) : null}
      </header>
      {navigation.state === 'loading' && !opensContacts ? (
        <p className="pending" role="status">
          Loading…
        </p>
      ) : null}
      <SessionEndedNotice />
      {auth.user && session.idle ? (
        <IdleDialog watch={session.idle} onTimeout={endForIdle} />
      ) : null}
      <main>{opensContacts ? <ListSkeleton /> : <Outlet />}</main>
      <footer className="app-footer">
        <SessionLog />
      </footer>
    </div>
  );
}
