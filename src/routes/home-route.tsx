import { useEffect, useState } from 'react';
import { useAuth } from 'react-oidc-context';
import { Link } from 'react-router';
import { startSignIn } from '../auth/sign-in.ts';
import { toSignInError } from '../auth/sign-in-error.ts';
import { takeLocalSignOutNotice } from '../auth/sign-out.ts';
import { useAppServices } from './app-services.tsx';
import { prefetchSignInScreens } from './lazy-routes.ts';

export function HomeRoute() {
  const auth = useAuth();
  const { auth: registry } = useAppServices();
  const [problem, setProblem] = useState<{ message: string; detail: string } | null>(null);
  const [localSignOut] = useState(takeLocalSignOutNotice);
  const signedOut = !auth.isLoading && !auth.user;
  useEffect(() => {
    if (signedOut) prefetchSignInScreens();
  }, [signedOut]);

  if (auth.isLoading) return <p role="status">Loading…</p>;

  if (auth.user) {
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
    registry.setActive(providerId);
    startSignIn(registry.userManagerFor(providerId), '/contacts').catch((error: unknown) => {
      const failure = toSignInError(error);
      setProblem({ message: 'Sign-in could not start.', detail: failure.detail });
    });
  };
  const single = registry.providers.length === 1;

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
        {registry.providers.map((provider) => (
          <button
            key={provider.id}
            type="button"
            className={provider.id === registry.lastUsedId ? 'primary' : undefined}
            onClick={() => signIn(provider.id)}
          >
            {single ? 'Sign in' : `Sign in with ${provider.label}`}
          </button>
        ))}
      </div>
      {problem ? (
        <div role="alert" className="problem">
          <p>
            {problem.message} The identity provider's configuration could not be trusted or loaded.
          </p>
          <p className="technical">
            Technical detail: <code>{problem.detail}</code>
          </p>
        </div>
      ) : null}
    </section>
  );
}
