// The sign-in and session machinery without any UI: oidc-client-ts, the validating manager,
// DPoP, the session keeper and the contacts API client. The entry starts it as soon as the
// config is known, before React and the router have loaded, so on a callback the code
// exchange leaves at once.
import type { User } from 'oidc-client-ts';
import { createAuthRegistry } from '../../auth/provider/auth-registry.ts';
import { completeSignIn } from '../../auth/sign-in/complete-sign-in.ts';
import { beginCallback } from '../../auth/sign-in/pending-callback.ts';
import { settleWriteRequestAnswer } from '../../auth/sign-in/write-access.ts';
import type { AppConfig } from '../../config/app-config.ts';
import { showsContactList, startFirstContactsPage } from '../../contacts/first-contacts-page.ts';
import { createSlowDown } from '../../contacts/slow-down.ts';
import { ownerOf } from '../../contacts/viewer.ts';
import { type Clock, clockOffsetFrom } from '../../lib/clock.ts';
import { createSession, type Session } from '../../session/create-session.ts';
import type { AppServices } from './app-services.ts';

/** The contacts screens (one chunk): after a sign-in they download beside the first page. */
const loadContactsRoute = () => import('../../routes/contacts/contacts-route.tsx');

export async function startServices(
  config: AppConfig,
  clock: Clock & { resync(offsetMs: number): void },
): Promise<AppServices> {
  performance.mark('app:auth layer loaded'); // marks: where start-up time goes (bench:sign-in)
  const auth = createAuthRegistry(config, clock);
  const session = createSession(auth.userManager, {
    issuer: auth.active.issuer,
    clientId: auth.active.clientId,
    apiBaseUrl: config.api.baseUrl,
    renewMarginSeconds: config.options.renewMarginSeconds,
    idleTimeoutMinutes: config.options.idleTimeoutMinutes,
    sessionLifetimeHours: config.options.sessionLifetimeHours,
    onSignedOutElsewhere: () => window.location.assign('/'),
    // After sleep or a long time hidden: measure the server's time again first.
    beforeRecheck: async () => {
      const sentAt = Date.now();
      const response = await fetch('/config.json', { method: 'HEAD', cache: 'no-store' });
      const offset = clockOffsetFrom(response.headers.get('Date'), sentAt, Date.now());
      if (offset !== null) clock.resync(offset);
    },
  });
  const slowDown = createSlowDown();
  const contacts = {
    fetch: session.apiFetch,
    baseUrl: config.api.baseUrl,
    onSlowDown: slowDown.set,
  };
  // Back from the provider: the code exchange (validation included) starts now.
  const callback = beginCallback(window.location, (url) => {
    // The sign-in becomes this tab's session (and every tab's) as soon as it is stored; a
    // request for editing is settled by its answer.
    const signedIn = (user: User) => {
      void session.signedIn(user);
      settleWriteRequestAnswer(user, ownerOf(user.profile), auth.active.contactsScopes.write);
    };
    return completeSignIn(auth.userManager, url, signedIn).then((returnTo) => {
      performance.mark('app:sign-in response handled');
      loadContactsRoute().catch(() => undefined); // the route reports a failed download
      // Validated and stored: the first contacts request leaves now, beside the navigation.
      void requestFirstContactsPage(session, contacts, returnTo).catch(() => undefined);
      return returnTo;
    });
  });
  // Otherwise another tab hands its session over (no trip to the provider), if there is one.
  if (!callback) await session.start();
  return { config, clock, auth, session, contacts, slowDown, callback };
}

/** Right after a sign-in: the first page, if `returnTo` shows the list. */
async function requestFirstContactsPage(
  session: Session,
  contacts: AppServices['contacts'],
  returnTo: string,
): Promise<void> {
  if (!showsContactList(returnTo)) return;
  const user = await session.manager.getUser();
  if (user) startFirstContactsPage(contacts, ownerOf(user.profile));
}
