// Messages between the tabs of one origin. BroadcastChannel never delivers a message to its
// sender, and never to another browser profile. IMPORTANT: tokens travel here only between
// same-origin documents of this app; nothing here is logged.

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

export interface TabChannel {
  post(message: TabMessage): void;
  listen(listener: (message: TabMessage) => void): () => void;
}

export function broadcastTabChannel(name: string): TabChannel {
  const channel = new BroadcastChannel(name);
  return {
    post: (message) => channel.postMessage(message),
    listen: (listener) => {
      const handler = (event: MessageEvent<TabMessage>) => listener(event.data);
      channel.addEventListener('message', handler);
      return () => channel.removeEventListener('message', handler);
    },
  };
}

/** Connected in-memory channels, for unit tests: like BroadcastChannel, async and not to self. */
export function memoryTabNetwork() {
  const members = new Set<(message: TabMessage) => void>();
  return {
    join(): TabChannel {
      const own = new Set<(message: TabMessage) => void>();
      return {
        post: (message) => {
          for (const deliver of members) {
            if (!own.has(deliver)) queueMicrotask(() => deliver(structuredClone(message)));
          }
        },
        listen: (listener) => {
          own.add(listener);
          members.add(listener);
          return () => {
            own.delete(listener);
            members.delete(listener);
          };
        },
      };
    },
  };
}
