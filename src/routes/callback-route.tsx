import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { completeSignIn } from '../auth/complete-sign-in.ts';
import { startSignIn } from '../auth/sign-in.ts';
import { SignInError, toSignInError } from '../auth/sign-in-error.ts';
import { useAppServices } from './app-services.tsx';
import { preloadContactsScreens } from './lazy-routes.ts';
import { declinedWriteRequest } from './write-access.ts';

const hasResponseParams = () => {
  const params = new URLSearchParams(window.location.search);
  return params.has('code') || params.has('error') || params.has('state');
};

export function CallbackRoute() {
  const { auth } = useAppServices();
  const navigate = useNavigate();
  // Captured once: the address bar is cleaned as soon as the callback is handled.
  const [callbackUrl] = useState(() => (hasResponseParams() ? window.location.href : null));
  const [error, setError] = useState<SignInError | null>(() =>
    callbackUrl
      ? null
      : new SignInError(
          'invalid_response',
          'There is no sign-in to finish here.',
          'no authorization response in the URL',
        ),
  );

  useEffect(() => {
    if (!callbackUrl) return;
    // IMPORTANT: code and state leave the address bar and history at once, success or not.
    window.history.replaceState(window.history.state, '', '/callback');
    preloadContactsScreens(); // downloads alongside the code exchange, not after it
    completeSignIn(auth.userManager, callbackUrl).then(
      (returnTo) => navigate(returnTo, { replace: true }),
      (reason: unknown) => {
        const failure = toSignInError(reason);
        // Editing was declined at the provider: back where the user was, read-only (if this
        // tab's session did not survive the trip, that page signs in again as before).
        const back = failure.code === 'access_denied' ? declinedWriteRequest() : null;
        if (back) navigate(back, { replace: true });
        else setError(failure);
      },
    );
  }, [auth.userManager, callbackUrl, navigate]);

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
