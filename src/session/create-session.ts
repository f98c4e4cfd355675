// Wires the session keeper to the active provider's UserManager, the browser's Web Locks,
// BroadcastChannel and IndexedDB, and the page lifecycle events.
import { User } from 'oidc-client-ts';
import type { SessionUserManager } from '../auth/provider/user-manager.ts';
import { IdleWatch } from './idle-watch.ts';
import { SessionEventLog } from './session-events.ts';
import { SessionKeeper } from './session-keeper.ts';
import { indexedDbMarkerStore, memoryMarkerStore } from './session-marker.ts';
import type { ReceivedSession, TokenSource } from './session-types.ts';
import { persistableSession } from './storage-policy.ts';
import { broadcastTabChannel, memoryTabNetwork } from './tab-channel.ts';

export interface SessionOptions {
  issuer: string;
  clientId: string;
  renewMarginSeconds: number;
  /** Runs before a re-check on `online`, `visibilitychange` and `pageshow` (errors ignored). */
  beforeRecheck?: () => Promise<void>;
  /** Optional idle timeout (config `idleTimeoutMinutes`). */
  idleTimeoutMinutes?: number;
}

export function createSession(manager: SessionUserManager, options: SessionOptions) {
  const scope = `${options.issuer}|${options.clientId}`;
  const log = new SessionEventLog();
  let capture: ((received: ReceivedSession) => void) | null = null;
  const tokens: TokenSource = {
    accessToken: async () => (await manager.getUser())?.access_token || null,
    renew: async () => {
      let received: ReceivedSession | undefined;
      capture = (value) => {
        received = value;
      };
      try {
        await manager.signinSilent();
      } finally {
        capture = null;
      }
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
    channel:
      typeof BroadcastChannel === 'undefined'
        ? memoryTabNetwork().join()
        : broadcastTabChannel(`oidc-contacts.session:${scope}`),
    locks: navigator.locks ?? { request: (_name, callback) => callback() },
    log,
    lockName: `oidc-contacts.renew:${scope}`,
    configuredMarginMs: options.renewMarginSeconds * 1000,
    isOnline: () => navigator.onLine,
  });
  manager.onStored = (user, lifetimeMs) => {
    const received = {
      serialized: user.toStorageString(),
      lifetimeMs,
      persisted: persistableSession(user),
    };
    if (capture) capture(received);
    else void keeper.signedIn(received); // the sign-in callback of this tab
  };
  manager.sessionTokens = keeper;
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
  const idle =
    options.idleTimeoutMinutes === undefined
      ? null
      : new IdleWatch(
          options.idleTimeoutMinutes * 60_000,
          typeof BroadcastChannel === 'undefined'
            ? null
            : new BroadcastChannel(`oidc-contacts.activity:${scope}`),
        );
  return { keeper, log, manager, idle };
}

export type Session = ReturnType<typeof createSession>;
