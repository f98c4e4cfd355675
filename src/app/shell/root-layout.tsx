import { Link, Outlet, useNavigation } from 'react-router';
import { ListSkeleton } from '../../ui/list-skeleton.tsx';
import { useAuthLayer } from './shell-context.ts';

/**
 * The frame of every page. It paints before the auth and session layer has loaded: the
 * header then says the session is being checked (never a "Sign in" that might flip to a
 * name a moment later), and no protected UI shows.
 */
export function RootLayout() {
  const { layer, auth, failure } = useAuthLayer();
  const navigation = useNavigation();
  // Arriving at the contacts from elsewhere: the list's shape at once, not a blank wait.
  const opensContacts =
    navigation.state === 'loading' &&
    navigation.location.pathname === '/contacts' &&
    !window.location.pathname.startsWith('/contacts');
  const known = layer && auth && !auth.isLoading ? layer : null;

  return (
    <div className="shell">
      <header className="app-header">
        <Link to="/" className="brand">
          Contacts
        </Link>
        {known ? (
          <known.HeaderAuth />
        ) : (
          // Quiet: not a live region; it only says why there is no name or Sign out yet.
          <span className="session-checking">
            {failure ? 'Sign-in is unavailable' : 'Checking session…'}
          </span>
        )}
      </header>
      {navigation.state === 'loading' && !opensContacts ? (
        <p className="pending" role="status">
          Loading…
        </p>
      ) : null}
      {known ? <known.SessionNotices /> : null}
      <main>{opensContacts ? <ListSkeleton /> : <Outlet />}</main>
      <footer className="app-footer">{known ? <known.SessionFooter /> : null}</footer>
    </div>
  );
}
