// Wires the session keeper to the active provider's UserManager, the browser's Web Locks,
// BroadcastChannel and IndexedDB, and the page lifecycle events; and makes the one fetch
// that carries the session's credential to the API.
import { User } from 'oidc-client-ts';
import { requestAuthorizer } from '../auth/credential/authorization-headers.ts';
import { dpopKeysOf } from '../auth/dpop/dpop-settings.ts';
import type { ValidatingUserManager } from '../auth/provider/validating-user-manager.ts';
import { requireReauthentication } from '../auth/sign-in/reauthentication.ts';
import { tabBroadcast } from '../lib/tab-broadcast.ts';
import { createAuthorizedFetch } from './authorized-fetch.ts';
import { forgetAccountInThisTab } from './forget-account.ts';
import { IdleWatch, idleDeadlinePassed, lastActivityKey } from './idle-watch.ts';
import { SessionEventLog } from './session-events.ts';
import { SessionKeeper } from './session-keeper.ts';
import { indexedDbMarkerStore, memoryMarkerStore } from './session-marker.ts';
import type { ReceivedSession, TokenSource } from './session-types.ts';
import { persistableSession } from './storage-policy.ts';
import type { TabMessage } from './tab-channel.ts';

export interface SessionOptions {
  issuer: string;
  clientId: string;
  /** The contacts API: the only place the credential is sent. */
  apiBaseUrl: string;
  renewMarginSeconds: number;
  /** Runs before a re-check on `online`, `visibilitychange` and `pageshow` (errors ignored). */
  beforeRecheck?: () => Promise<void>;
  /** Optional idle timeout (config `idleTimeoutMinutes`). */
  idleTimeoutMinutes?: number;
  /** How long after sign-in a persisted session may be used (config `sessionLifetimeHours`). */
  sessionLifetimeHours: number;
  /** Another tab signed out: this tab has forgotten the session and the account's traces. */
  onSignedOutElsewhere: () => void;
}

/** What other tabs need of a user this tab stored; null when it has no token lifetime. */
function receivedFrom(manager: ValidatingUserManager, user: User): ReceivedSession | null {
  const lifetimeMs = manager.lifetimeOf(user);
  if (lifetimeMs === undefined) return null;
  return { serialized: user.toStorageString(), lifetimeMs, persisted: persistableSession(user) };
}

export function createSession(manager: ValidatingUserManager, options: SessionOptions) {
  const scope = `${options.issuer}|${options.clientId}`;
  const log = new SessionEventLog();
  const tokens: TokenSource = {
    credential: () => manager.credential(),
    renew: async () => {
      const user = await manager.signinSilent();
      const received = user && receivedFrom(manager, user);
      if (!received) throw new Error('the renewal stored no user');
      return received;
    },
    adopt: (serialized) => manager.adoptUser(User.fromStorageString(serialized)),
    serialize: async () => (await manager.getUser())?.toStorageString() ?? null,
    forget: () => manager.removeUser(),
    revoke: () => manager.revokeTokens(['refresh_token']),
  };
  const keeper = new SessionKeeper({
    tokens,
    marker: typeof indexedDB === 'undefined' ? memoryMarkerStore() : indexedDbMarkerStore(scope),
    channel: tabBroadcast<TabMessage>(`oidc-contacts.session:${scope}`),
    locks: navigator.locks ?? { request: (_name, callback) => callback() },
    log,
    lockName: `oidc-contacts.renew:${scope}`,
    configuredMarginMs: options.renewMarginSeconds * 1000,
    persistedLifetimeMs: options.sessionLifetimeHours * 3_600_000,
    isOnline: () => navigator.onLine,
    onSignedOutElsewhere: () => {
      forgetAccountInThisTab();
      options.onSignedOutElsewhere();
    },
  });
  const recheck = (trigger: string) => {
    const before = options.beforeRecheck?.().catch(() => {}) ?? Promise.resolve();
    void before.then(() => keeper.checkNow(trigger));
  };
  window.addEventListener('online', () => recheck('online'));
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) recheck('pageshow'); // back from the back/forward cache
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') recheck('visible');
  });
  const idleTimeoutMs =
    options.idleTimeoutMinutes === undefined ? null : options.idleTimeoutMinutes * 60_000;
  const keepActivity = (wallTime: number) => {
    try {
      localStorage.setItem(lastActivityKey(scope), String(wallTime));
    } catch {
      // Storage refused: only an app opened again after the deadline goes unnoticed.
    }
  };
  const idle =
    idleTimeoutMs === null
      ? null
      : new IdleWatch(
          idleTimeoutMs,
          tabBroadcast<'activity'>(`oidc-contacts.activity:${scope}`),
          undefined,
          undefined,
          undefined,
          keepActivity,
        );
  return {
    keeper,
    log,
    manager,
    idle,
    /** fetch for the contacts API, with the session's credential (and DPoP proof). */
    apiFetch: createAuthorizedFetch(
      keeper,
      options.apiBaseUrl,
      requestAuthorizer(dpopKeysOf(manager)),
    ),
    /**
     * Before the first render, on a page that is not a sign-in callback: the session of the
     * other tabs, or the one kept across reloads; but not one whose idle deadline passed.
     */
    start: async () => {
      if (idleTimeoutMs !== null && idleDeadlinePassed(scope, idleTimeoutMs)) {
        requireReauthentication();
        await keeper.endKeptSession('idle_timeout');
        return;
      }
      await keeper.start();
    },
    /**
     * The idle timeout ran out: the session ends in every tab (its refresh token revoked),
     * and the next sign-in must authenticate the user again at the provider.
     */
    endForIdle: async () => {
      requireReauthentication();
      await keeper.endSession('idle_timeout');
    },
    /** Deliberate sign-out: every tab forgets the session, and this one the account's traces. */
    signOutEverywhere: async () => {
      await keeper.signOut();
      forgetAccountInThisTab();
    },
    /** This tab's sign-in callback stored `user`: it becomes the session of every tab. */
    signedIn: async (user: User) => {
      if (idleTimeoutMs !== null) keepActivity(Date.now()); // signing in is activity
      const received = receivedFrom(manager, user);
      if (received) await keeper.signedIn(received);
    },
  };
}

export type Session = ReturnType<typeof createSession>;
