// The session layer's vocabulary: what the UI sees (status), what a sign-in or renewal
// hands over, and the browser parts the keeper needs (faked in unit tests).
import type { Credential } from '../auth/credential/credential.ts';
import type { SessionEventLog } from './session-events.ts';
import type { MarkerStore } from './session-marker.ts';
import type { TabChannel } from './tab-channel.ts';

export type SessionStatus =
  | 'signed-out'
  | 'active'
  | 'renewing'
  | 'retrying'
  | 'offline'
  | 'expired';

export interface SessionSnapshot {
  status: SessionStatus;
  /** Why the session is retrying or has ended: `network`, `invalid_grant`… */
  reason?: string;
  /** True when only signing in again can help (not a network problem that may pass). */
  final?: boolean;
}

/** What a sign-in or renewal produced, as other tabs need it. */
export interface ReceivedSession {
  serialized: string;
  lifetimeMs: number;
  /** Only for DPoP-bound refresh tokens (storage-policy.ts). */
  persisted?: string;
}

/** The tab's tokens, behind oidc-client-ts; faked in unit tests. */
export interface TokenSource {
  /** The stored access token as a credential, or null when there is none. */
  credential(): Promise<Credential | null>;
  /** Refresh-token grant, or a prompt=none iframe when there is no refresh token. */
  renew(): Promise<ReceivedSession>;
  /** A session another tab obtained and validated. */
  adopt(serialized: string): Promise<void>;
  serialize(): Promise<string | null>;
  forget(): Promise<void>;
  /** Revokes the refresh token at the provider (as a deliberate sign-out does). */
  revoke(): Promise<void>;
}

export interface LockLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

export interface KeeperDeps {
  tokens: TokenSource;
  marker: MarkerStore;
  channel: TabChannel;
  locks: LockLike;
  log: SessionEventLog;
  lockName: string;
  configuredMarginMs: number;
  now?: () => number;
  random?: () => number;
  isOnline?: () => boolean;
  /** How long a new tab waits for another tab to hand the session over. */
  handoverMs?: number;
  /** Another tab signed out: this one has forgotten the session; what the app does next. */
  onSignedOutElsewhere?: () => void;
  /** How long a persisted session may be used, from its sign-in (default 8 h). */
  persistedLifetimeMs?: number;
  /** The wall clock, for what outlives the page (default Date.now). */
  wallNow?: () => number;
}
