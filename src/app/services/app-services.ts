import type { AuthRegistry } from '../../auth/provider/auth-registry.ts';
import type { AppConfig } from '../../config/app-config.ts';
import type { ContactsApi } from '../../contacts/contacts-http.ts';
import type { SlowDown } from '../../contacts/slow-down.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Session } from '../../session/create-session.ts';

/** What start-services.ts starts, for the shell, the auth layer and the routes. */
export interface AppServices {
  config: AppConfig;
  clock: Clock;
  /** One UserManager per provider; the active one signs in this tab. */
  auth: AuthRegistry;
  /** Keeps the tokens fresh across tabs; hands out the credential (src/session). */
  session: Session;
  /** The contacts API, reached with the session's credential. */
  contacts: ContactsApi;
  /** A request to the contacts API waiting out a 429, for the notice that says so. */
  slowDown: SlowDown;
  /** This page load's sign-in callback, resolving with the path to return to; else null. */
  callback: Promise<string> | null;
}
