import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { pendingCallback } from '../auth/sign-in/pending-callback.ts';
import { startSignIn } from '../auth/sign-in/sign-in.ts';
import { SignInError, toSignInError } from '../auth/sign-in/sign-in-error.ts';
import { declinedWriteRequest } from '../auth/sign-in/write-access.ts';
import { useAppServices } from './app-services.tsx';

export function CallbackRoute() {
  const { auth } = useAppServices();
  const navigate = useNavigate();
  // Started by the auth layer as soon as it loaded (pending-callback.ts), which also took
  // the response out of the address bar; a reload or a bookmark of /callback has none.
  const [pending] = useState(pendingCallback);
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
    // On success main.tsx navigates on as soon as the sign-in is handled.
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
        <button
          type="button"
          className="primary"
          onClick={() => void startSignIn(auth.userManager, '/contacts')}
        >
          Try again
        </button>
        <Link to="/">Back to the home page</Link>
      </div>
    </section>
  );
}
