// What changes the cached address book (contact-cache.ts) after it was read whole: a save or
// delete answered by the API here, one heard of from another tab (contacts-sync.ts), and a
// refresh's new list (contacts-refresh.ts) merged so that only what changed is replaced.
import type { Contact } from './contact.ts';
import { cacheEntry, replaceCacheEntry } from './contact-cache.ts';
import { applyContactEvent, type ContactEvent, mergeContacts } from './contact-merge.ts';

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
 */
export function cacheRefreshed(
  owner: string,
  fresh: readonly Contact[],
  freshEtag: string | null,
  mark: number,
): void {
  const entry = cacheEntry(owner);
  if (!entry) return;
  const since = entry.events.filter((e) => e.seq > mark);
  const firstKept = entry.events[0]?.seq ?? seq + 1;
  // Changes made meanwhile were dropped already: the next refresh reads the list again.
  const etag = seq > mark && firstKept > mark + 1 ? null : freshEtag;
  let contacts = mergeContacts(entry.contacts, fresh);
  for (const { event } of since) contacts = applyContactEvent(contacts, event);
  if (contacts === entry.contacts && etag === entry.etag) return;
  replaceCacheEntry({ ...entry, contacts, etag });
}

function applyEvent(owner: string, event: ContactEvent): void {
  const entry = cacheEntry(owner);
  if (!entry) return;
  seq += 1;
  const events = [...entry.events.slice(-(KEPT_EVENTS - 1)), { seq, event }];
  replaceCacheEntry({ ...entry, contacts: applyContactEvent(entry.contacts, event), events });
}

/** A contact as the API answered it, here or in another tab (never over a newer version). */
export function cacheContact(owner: string, contact: Contact): void {
  applyEvent(owner, { saved: contact });
}

export function uncacheContact(owner: string, id: string): void {
  applyEvent(owner, { deleted: id });
}
