// A typed BroadcastChannel: messages between the tabs of one origin (the session layer's
// tokens and activity, the contacts' changes). BroadcastChannel never delivers a message to
// its sender, nor to another browser profile, and messages are structured clones: plain
// data only. Each use names its own channel, so no listener sees another's messages.

export interface TabBroadcast<M> {
  post(message: M): void;
  /** Calls `listener` with every message of the other tabs; returns the unsubscribe. */
  listen(listener: (message: M) => void): () => void;
}

/** The channel `name` of this origin; a channel of its own where BroadcastChannel is missing. */
export function tabBroadcast<M>(name: string): TabBroadcast<M> {
  if (typeof BroadcastChannel === 'undefined') return memoryTabNetwork<M>().join();
  const channel = new BroadcastChannel(name);
  return {
    post: (message) => channel.postMessage(message),
    listen: (listener) => {
      const handler = (event: MessageEvent<M>) => listener(event.data);
      channel.addEventListener('message', handler);
      return () => channel.removeEventListener('message', handler);
    },
  };
}

export interface MemoryTabNetwork<M> {
  /** One more tab on the network. */
  join(): TabBroadcast<M>;
}

/** Connected in-memory channels, for unit tests: like BroadcastChannel, async and not to self. */
export function memoryTabNetwork<M>(): MemoryTabNetwork<M> {
  const members = new Set<(message: M) => void>();
  return {
    join() {
      const own = new Set<(message: M) => void>();
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
