import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { SignInError, toSignInError } from '../auth/sign-in/sign-in-error.ts';
import { declinedWriteRequest } from '../auth/sign-in/write-access.ts';

/**
 * `pending`: this page load's sign-in callback, started by the services as soon as they
 * loaded (auth/sign-in/pending-callback.ts), which also took the response out of the
 * address bar; a reload or a bookmark of /callback has none. `signIn` starts a new one.
 */
export function CallbackRoute({
  pending,
  signIn,
}: {
  pending: Promise<string> | null;
  signIn: (returnTo: string) => Promise<void>;
}) {
  const navigate = useNavigate();
  const [error, setError] = useState<SignInError | null>(() =>
    pending
      ? null
      : new SignInError(
          'invalid_response',
          'There is no sign-in to finish here.',
          'no authorization response in the URL',
        ),
  );

  useEffect(() => {
    if (!pending) return;
    performance.mark('app:callback route mounted');
    // On success the shell navigates on as soon as the sign-in is handled (render-shell.tsx).
    pending.catch((reason: unknown) => {
      const failure = toSignInError(reason);
      // Editing was declined at the provider: back where the user was, read-only (if this
      // tab's session did not survive the trip, that page signs in again as before).
      const back = failure.code === 'access_denied' ? declinedWriteRequest() : null;
      if (back) navigate(back, { replace: true });
      else setError(failure);
    });
  }, [pending, navigate]);

  if (!error) {
    return (
      <p role="status" aria-live="polite">
        Signing you in…
      </p>
    );
  }
  return (
    <section role="alert" aria-labelledby="sign-in-failed">
      <h1 id="sign-in-failed">Sign-in did not complete</h1>
      <p>{error.message}</p>
      <p className="technical">
        Technical detail: <code>{error.code}</code>
        {error.detail ? ` (${error.detail})` : null}
      </p>
      <div className="actions">
        <button type="button" className="primary" onClick={() => void signIn('/contacts')}>
          Try again
        </button>
        <Link to="/">Back to the home page</Link>
      </div>
    </section>
  );
}
