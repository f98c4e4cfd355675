// What the session's tabs tell each other (over src/lib/tab-broadcast.ts). IMPORTANT: tokens
// travel here only between same-origin documents of this app; nothing here is logged.
import type { TabBroadcast } from '../lib/tab-broadcast.ts';

export type TabMessage =
  /** A new tab asks whether anyone holds the session. */
  | { type: 'hello' }
  /** The session, answering `hello` or announcing a renewal or sign-in. */
  | { type: 'session'; generation: number; user: string; expiresInMs: number; lifetimeMs: number }
  /**
   * The session cannot go on (permanent failure): every tab shows the notice. `forget`: it
   * was ended on purpose (idle timeout) and its tokens revoked: every tab drops them too.
   */
  | { type: 'ended'; reason: string; forget?: boolean }
  /** Deliberate sign-out: every tab forgets the session and its drafts. */
  | { type: 'signed-out' };

/** The session's channel (one per issuer and client: create-session.ts names it). */
export type TabChannel = TabBroadcast<TabMessage>;
