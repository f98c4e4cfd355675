import { useState } from 'react';
import { Link } from 'react-router';
import type { LocalSignOutReason } from '../auth/sign-in/local-sign-out-notice.ts';
import type { ProviderConfig } from '../config/app-config.ts';
import { DOWNLOAD_FAILURE_MESSAGE, isDownloadFailure } from '../lib/download-failure.ts';

export interface HomeRouteProps {
  providers: readonly ProviderConfig[];
  /** The signed-in user's names, once the session is known; null when signed out. */
  user: { given_name?: string; name?: string } | null;
  /** The auth layer could not be loaded (sign-in cannot start). */
  layerFailure: Error | null;
  /** The provider chosen last, in any tab (offered first). */
  lastUsedProviderId: () => string | undefined;
  /** Once after a sign-out whose provider part could not be asked for: why. */
  takeLocalSignOutNotice: () => LocalSignOutReason | null;
  /** Leaves for the provider; resolves with a technical detail when it cannot start. */
  signIn: (providerId: string) => Promise<string | undefined>;
}

/**
 * The signed-out home page paints from the entry and the shell alone. "Sign in" works
 * before the auth layer has arrived: the click waits for it.
 */
export function HomeRoute(props: HomeRouteProps) {
  const { providers, user, layerFailure: failure } = props;
  const [problem, setProblem] = useState<{ message: string; detail: string } | null>(null);
  const [localSignOut] = useState(props.takeLocalSignOutNotice);
  const [lastUsedId] = useState(props.lastUsedProviderId);

  if (user) {
    return (
      <section>
        <h1>Welcome, {user.given_name ?? user.name ?? 'there'}</h1>
        <p>
          <Link to="/contacts">Open your contacts</Link> or see{' '}
          <Link to="/account">what this app knows and may do</Link>.
        </p>
      </section>
    );
  }

  const signIn = (providerId: string) => {
    setProblem(null);
    props.signIn(providerId).then(
      (detail) => detail && setProblem({ message: 'Sign-in could not start.', detail }),
      (error: unknown) =>
        setProblem({ message: 'Sign-in could not start.', detail: String(error) }),
    );
  };
  const single = providers.length === 1;

  return (
    <section>
      <h1>Your contacts, signed in the right way</h1>
      {localSignOut ? (
        <p role="status" className="notice">
          You are signed out of this app.{' '}
          {localSignOut === 'no_id_token'
            ? 'The identity provider could not be asked to sign you out (this tab had no proof of your sign-in to show it)'
            : 'The identity provider could not be reached'}
          , so you may still be signed in there.
        </p>
      ) : null}
      <p>
        Sign in where you already have an account. This app never sees your password, and it may
        only do what you allow on the consent screen.
      </p>
      <div className="actions">
        {providers.map((provider) => (
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
