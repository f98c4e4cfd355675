import { useAuth } from 'react-oidc-context';
import { Link } from 'react-router';
import { startSignIn } from '../auth/sign-in.ts';
import { useAppServices } from './app-services.tsx';

export function HomeRoute() {
  const auth = useAuth();
  const { auth: registry } = useAppServices();

  if (auth.isLoading) return <p role="status">Loading…</p>;

  if (auth.user) {
    return (
      <section>
        <h1>Welcome, {auth.user.profile.given_name ?? auth.user.profile.name ?? 'there'}</h1>
        <p>
          <Link to="/contacts">Open your contacts</Link>
        </p>
      </section>
    );
  }

  const signIn = (providerId: string) => {
    registry.setActive(providerId);
    void startSignIn(registry.userManagerFor(providerId), '/contacts');
  };
  const single = registry.providers.length === 1;

  return (
    <section>
      <h1>Your contacts, signed in the right way</h1>
      <p>
        Sign in where you already have an account. This app never sees your password, and it may
        only do what you allow on the consent screen.
      </p>
      <div className="actions">
        {registry.providers.map((provider) => (
          <button
            key={provider.id}
            type="button"
            className="primary"
            onClick={() => signIn(provider.id)}
          >
            {single ? 'Sign in' : `Sign in with ${provider.label}`}
          </button>
        ))}
      </div>
    </section>
  );
}
