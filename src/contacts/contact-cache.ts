// This tab's copy of the signed-in user's whole address book, kept between navigations so
// search and scrolling never wait for the network. Keyed by owner (issuer + subject): a
// different user in this tab never sees it. The list on screen follows it
// (subscribeContacts). Single changes and refreshes are laid over it by
// contact-cache-changes.ts (kept apart: the auth layer imports this file to forget the list,
// and the sign-in bundle need not carry the merging).
import type { Contact } from './contact.ts';
import type { ContactEvent } from './contact-merge.ts';

export interface CacheEntry {
  owner: string;
  contacts: readonly Contact[];
  /** The list's ETag when it was read (If-None-Match of the next refresh); null: unknown. */
  etag: string | null;
  /** Single changes applied since, numbered: a refresh re-applies those made while it ran. */
  events: readonly { seq: number; event: ContactEvent }[];
}

let entry: CacheEntry | undefined;
/** The whole list being read (streamed in after its first page), for `loadingContacts`. */
let loading: { owner: string; done: Promise<unknown> } | undefined;
const listeners = new Set<() => void>();

export function cacheEntry(owner: string): CacheEntry | undefined {
  return entry?.owner === owner ? entry : undefined;
}

export function replaceCacheEntry(next: CacheEntry | undefined): void {
  entry = next;
  for (const listener of listeners) listener();
}

/** Called after every change of the cached list (for useSyncExternalStore). */
export function subscribeContacts(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function cachedContacts(owner: string): readonly Contact[] | undefined {
  return cacheEntry(owner)?.contacts;
}

/** The whole list, as read from the API (with its ETag, when known). */
export function cacheContacts(
  owner: string,
  contacts: readonly Contact[],
  etag: string | null = null,
): void {
  replaceCacheEntry({ owner, contacts, etag, events: [] });
}

/** `owner`'s whole list is being read: `done` settles when it is cached (or failed). */
export function noteContactsLoading(owner: string, done: Promise<unknown>): void {
  const read = { owner, done };
  loading = read;
  const finished = () => {
    if (loading === read) loading = undefined;
  };
  done.then(finished, finished);
}

/** The read of `owner`'s whole list under way, if any (settles when it is cached). */
export function loadingContacts(owner: string): Promise<unknown> | undefined {
  return loading?.owner === owner ? loading.done : undefined;
}

export function forgetContacts(): void {
  loading = undefined;
  replaceCacheEntry(undefined);
}
