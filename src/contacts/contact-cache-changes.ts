// What changes the cached address book (contact-cache.ts) after it was read whole: a save or
// delete answered by the API here, one heard of from another tab (contacts-sync.ts), and a
// refresh's new list (contacts-refresh.ts) merged so that only what changed is replaced.
import type { Contact } from './contact.ts';
import { cacheEntry, replaceCacheEntry } from './contact-cache.ts';
import {
  applyContactEvent,
  type ContactEvent,
  changesBetween,
  mergeContacts,
} from './contact-merge.ts';

/** Single changes kept for a refresh that is reading pages meanwhile (at most this many). */
const KEPT_EVENTS = 200;
let seq = 0;

/** Where a refresh starts from: a mark to hand to `cacheRefreshed`. */
export function refreshMark(): number {
  return seq;
}

/**
 * A refresh's list, read since `mark`: merged into the cached one (unchanged contacts keep
 * their objects), then the single changes heard of meanwhile applied again, so a save made
 * while the pages were read is not undone by them. Nothing happens for another owner.
 * Returns what changed, for the other tabs.
 */
export function cacheRefreshed(
  owner: string,
  fresh: readonly Contact[],
  freshEtag: string | null,
  mark: number,
): ContactEvent[] {
  const entry = cacheEntry(owner);
  if (!entry) return [];
  const since = entry.events.filter((e) => e.seq > mark);
  const firstKept = entry.events[0]?.seq ?? seq + 1;
  // Changes made meanwhile were dropped already: the next refresh reads the list again.
  const etag = seq > mark && firstKept > mark + 1 ? null : freshEtag;
  let contacts = mergeContacts(entry.contacts, fresh);
  for (const { event } of since) contacts = applyContactEvent(contacts, event);
  if (contacts === entry.contacts && etag === entry.etag) return [];
  replaceCacheEntry({ ...entry, contacts, etag });
  return changesBetween(entry.contacts, contacts);
}

/**
 * Saves and deletes heard of (here, or from another tab), applied in order; with `etags`,
 * the list's ETag moves on too when it was `from` (another tab's refresh of the same list).
 */
export function applyContactEvents(
  owner: string,
  applied: readonly ContactEvent[],
  etags?: { from: string | null; to: string | null },
): void {
  const entry = cacheEntry(owner);
  if (!entry) return;
  let { contacts, events } = entry;
  for (const event of applied) {
    seq += 1;
    contacts = applyContactEvent(contacts, event);
    events = [...events.slice(-(KEPT_EVENTS - 1)), { seq, event }];
  }
  const etag = etags && etags.from === entry.etag ? etags.to : entry.etag;
  replaceCacheEntry({ ...entry, contacts, events, etag });
}

/** A contact as the API answered it, here or in another tab (never over a newer version). */
export function cacheContact(owner: string, contact: Contact): void {
  applyContactEvents(owner, [{ saved: contact }]);
}

export function uncacheContact(owner: string, id: string): void {
  applyContactEvents(owner, [{ deleted: id }]);
}
