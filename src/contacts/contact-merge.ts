// A fresh copy of the address book laid over the one on screen, changing only what changed:
// a contact whose version is the same keeps its very object, so the search index reuses its
// words (contact-search.ts) and the virtual list its row; nothing changed, nothing renders.
// Also what the other tabs' single changes do to the list (contacts-sync.ts).
import type { Contact } from './contact.ts';
import { withContact } from './contact-order.ts';

/**
 * `fresh` (the API's list, in its order) with each unchanged contact taken from `current`.
 * `current` itself when nothing changed. A contact in `current` at a higher version than in
 * `fresh` (saved here after `fresh` was read) is kept.
 */
export function mergeContacts(
  current: readonly Contact[],
  fresh: readonly Contact[],
): readonly Contact[] {
  const known = new Map(current.map((contact) => [contact.id, contact]));
  let same = current.length === fresh.length;
  const newer: Contact[] = [];
  const merged = fresh.map((contact, index) => {
    const mine = known.get(contact.id);
    const kept = mine && mine.version >= contact.version ? mine : contact;
    if (mine && mine.version > contact.version) newer.push(mine);
    if (kept !== current[index]) same = false;
    return kept;
  });
  if (same) return current;
  // A newer contact kept may have been renamed since `fresh` was read: where its name sorts.
  return newer.reduce<readonly Contact[]>((list, contact) => withContact(list, contact), merged);
}

/** One change heard of (a save or a delete, here or in another tab) applied to `list`. */
export type ContactEvent = { saved: Contact } | { deleted: string };

/**
 * `list` with `event` applied; `list` itself when it changes nothing (a save older than, or
 * the same as, what the list holds; a delete of a contact it does not have).
 */
export function applyContactEvent(
  list: readonly Contact[],
  event: ContactEvent,
): readonly Contact[] {
  if ('deleted' in event) {
    const at = list.findIndex((contact) => contact.id === event.deleted);
    return at === -1 ? list : [...list.slice(0, at), ...list.slice(at + 1)];
  }
  const old = list.find((contact) => contact.id === event.saved.id);
  if (old && old.version >= event.saved.version) return list;
  return withContact(list, event.saved);
}

/** What turns `before` into `after`: each contact not in `before` as it is, each one gone. */
export function changesBetween(
  before: readonly Contact[],
  after: readonly Contact[],
): ContactEvent[] {
  const had = new Set(before);
  const kept = new Set(after.map((contact) => contact.id));
  const saved = after.filter((contact) => !had.has(contact)).map((contact) => ({ saved: contact }));
  const deleted = before
    .filter((contact) => !kept.has(contact.id))
    .map((contact) => ({ deleted: contact.id }));
  return [...saved, ...deleted];
}
