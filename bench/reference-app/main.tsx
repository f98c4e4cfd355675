// The yardstick for `npm run bench:sign-in`: the plainest react-oidc-context app, written
// the way its README shows (AuthProvider, useAuth, onSigninCallback), with none of this
// product's validation. Only the benchmark builds and serves it.
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { AuthProvider, useAuth } from 'react-oidc-context';

declare const REFERENCE_ISSUER: string;
declare const REFERENCE_API: string;

interface Page {
  items: { id: string; name: string }[];
}

function Contacts({ accessToken }: { accessToken: string }) {
  const [page, setPage] = useState<Page | null>(null);
  useEffect(() => {
    fetch(`${REFERENCE_API}/contacts`, { headers: { Authorization: `Bearer ${accessToken}` } })
      .then((response) => response.json() as Promise<Page>)
      .then(setPage);
  }, [accessToken]);
  if (!page) return <p>Loading contacts…</p>;
  return (
    <ul>
      {page.items.map((contact) => (
        <li key={contact.id} className="contact-name">
          {contact.name}
        </li>
      ))}
    </ul>
  );
}

function App() {
  const auth = useAuth();
  if (auth.isLoading) return <p>Loading…</p>;
  if (auth.error) return <p>Sign-in failed: {auth.error.message}</p>;
  if (!auth.user) {
    return (
      <button type="button" onClick={() => void auth.signinRedirect()}>
        Sign in
      </button>
    );
  }
  return <Contacts accessToken={auth.user.access_token} />;
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <AuthProvider
      authority={REFERENCE_ISSUER}
      client_id="contacts-spa"
      redirect_uri={`${window.location.origin}/callback`}
      scope="openid profile email contacts:read"
      extraQueryParams={{ resource: REFERENCE_API }}
      onSigninCallback={() => window.history.replaceState({}, document.title, '/')}
    >
      <App />
    </AuthProvider>,
  );
}
