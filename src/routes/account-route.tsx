import { type LoaderFunctionArgs, useLoaderData } from 'react-router';
import type { Clock } from '../lib/clock.ts';
import { plausibleAuthTime } from '../lib/clock.ts';
import type { Session } from '../session/create-session.ts';
import { requireUser } from '../session/require-user.ts';
import { type ContactsPermission, describePermission } from '../ui/scope-words.ts';

/**
 * `providerLabel`: what the sign-in button said for the provider this tab signed in with;
 * `contactsScopes`: that provider's names for the contacts permissions; `clock` (corrected
 * for the device's error) and the tolerance tell an auth_time that cannot be true.
 */
export function accountLoader({
  session,
  providerLabel,
  contactsScopes,
  clock,
  clockToleranceSeconds,
}: {
  session: Session;
  providerLabel: string;
  contactsScopes: Readonly<Record<ContactsPermission, string>>;
  clock: Clock;
  clockToleranceSeconds: number;
}) {
  return async ({ request }: LoaderFunctionArgs) => {
    const user = await requireUser(session, request.url);
    const scopes = (user.scope ?? '').split(' ');
    const permissions: ContactsPermission[] = ['read', 'write'];
    // Only claims and metadata leave this loader, never a token.
    return {
      providerLabel,
      profile: user.profile,
      signedInAt: plausibleAuthTime(
        user.profile.auth_time,
        Math.floor(clock.now() / 1000),
        clockToleranceSeconds,
      ),
      granted: permissions.filter((permission) => scopes.includes(contactsScopes[permission])),
      expiresAt: user.expires_at,
    };
  };
}

const formatTime = (seconds: number | undefined) =>
  seconds === undefined ? 'not given' : new Date(seconds * 1000).toLocaleString();

// oidc-client-ts stamps expires_at as device time + expires_in, so it is compared with the
// device clock, not the corrected one: a device ten minutes slow is otherwise "expired".
function timeLeft(expiresAt: number | undefined): string {
  if (expiresAt === undefined) return 'unknown';
  const left = Math.round(expiresAt - Date.now() / 1000);
  return left <= 0 ? 'expired' : `${left} seconds`;
}

/** Authentication and authorization side by side: who you are, and what the app may do. */
export function AccountRoute() {
  const { providerLabel, profile, signedInAt, granted, expiresAt } =
    useLoaderData<Awaited<ReturnType<ReturnType<typeof accountLoader>>>>();

  return (
    <section>
      <h1>Your account</h1>
      <div className="columns">
        <section aria-labelledby="who-you-are">
          <h2 id="who-you-are">Who you are</h2>
          <p>From the ID token, verified by this app.</p>
          <dl>
            <dt>Name</dt>
            <dd>{profile.name ?? 'not shared'}</dd>
            <dt>Email</dt>
            <dd>{profile.email ?? 'not shared'}</dd>
            <dt>Signed in with</dt>
            <dd>{providerLabel}</dd>
            <dt>Issuer</dt>
            <dd>
              <code>{profile.iss}</code>
            </dd>
            <dt>Subject</dt>
            <dd>
              <code>{profile.sub}</code>
            </dd>
            <dt>Signed in at</dt>
            <dd>{formatTime(signedInAt)}</dd>
          </dl>
        </section>
        <section aria-labelledby="what-app-may-do">
          <h2 id="what-app-may-do">What this app may do</h2>
          <p>From the access token's scopes, enforced by the contacts service.</p>
          {granted.length > 0 ? (
            <ul aria-label="Granted permissions">
              {granted.map((permission) => (
                <li key={permission}>{describePermission(permission)}</li>
              ))}
            </ul>
          ) : (
            <p>Nothing with your contacts.</p>
          )}
          <dl>
            <dt>Access expires in</dt>
            <dd>{timeLeft(expiresAt)}</dd>
          </dl>
        </section>
      </div>
    </section>
  );
}
