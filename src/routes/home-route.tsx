import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { prefetchSignInScreens } from '../app/shell/lazy-routes.ts';
import { useAuthLayer, useShell } from '../app/shell/shell-context.ts';
import { lastUsedProvider } from '../auth/provider/provider-choice.ts';
import { takeLocalSignOutNotice } from '../auth/sign-in/local-sign-out-notice.ts';
import { DOWNLOAD_FAILURE_MESSAGE, isDownloadFailure } from '../lib/download-failure.ts';

/**
 * The signed-out home page paints from the entry chunk alone. "Sign in" works before the
 * auth layer has arrived: the click waits for it.
 */
export function HomeRoute() {
  const { config, authLayer } = useShell();
  const { auth, failure } = useAuthLayer();
  const [problem, setProblem] = useState<{ message: string; detail: string } | null>(null);
  const [localSignOut] = useState(takeLocalSignOutNotice);
  const [lastUsedId] = useState(() => lastUsedProvider(config.providers)?.id);
  const signedOut = auth !== null && !auth.isLoading && !auth.user;
  useEffect(() => {
    if (signedOut) prefetchSignInScreens();
  }, [signedOut]);

  if (auth?.user) {
    return (
      <section>
        <h1>Welcome, {auth.user.profile.given_name ?? auth.user.profile.name ?? 'there'}</h1>
        <p>
          <Link to="/contacts">Open your contacts</Link> or see{' '}
          <Link to="/account">what this app knows and may do</Link>.
        </p>
      </section>
    );
  }

  const signIn = (providerId: string) => {
    setProblem(null);
    authLayer.loaded
      .then((layer) => layer.signInWith(providerId, '/contacts'))
      .then(
        (detail) => detail && setProblem({ message: 'Sign-in could not start.', detail }),
        (error: unknown) =>
          setProblem({ message: 'Sign-in could not start.', detail: String(error) }),
      );
  };
  const single = config.providers.length === 1;

  return (
    <section>
      <h1>Your contacts, signed in the right way</h1>
      {localSignOut ? (
        <p role="status" className="notice">
          You are signed out of this app. The identity provider could not be reached, so you may
          still be signed in there.
        </p>
      ) : null}
      <p>
        Sign in where you already have an account. This app never sees your password, and it may
        only do what you allow on the consent screen.
      </p>
      <div className="actions">
        {config.providers.map((provider) => (
          <button
            key={provider.id}
            type="button"
            className={provider.id === lastUsedId ? 'primary' : undefined}
            onClick={() => signIn(provider.id)}
          >
            {single ? 'Sign in' : `Sign in with ${provider.label}`}
          </button>
        ))}
      </div>
      {!problem && isDownloadFailure(failure) ? (
        <div role="alert" className="problem">
          <p>{DOWNLOAD_FAILURE_MESSAGE} Until then, sign-in cannot start.</p>
          <div className="actions">
            <button type="button" onClick={() => window.location.reload()}>
              Reload
            </button>
          </div>
        </div>
      ) : problem || failure ? (
        <div role="alert" className="problem">
          <p>
            {problem?.message ?? 'Sign-in could not start.'} The identity provider's configuration
            could not be trusted or loaded.
          </p>
          <p className="technical">
            Technical detail: <code>{problem?.detail ?? String(failure)}</code>
          </p>
        </div>
      ) : null}
    </section>
  );
}
