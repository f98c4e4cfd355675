// This tab's copy of the signed-in user's whole address book, kept between navigations so
// search and scrolling never wait for the network. Keyed by owner (issuer + subject): a
// different user in this tab never sees it. Writes update it once the API has agreed.
import { foldText } from '../../servers/shared/fold-text.ts';
import type { Contact } from './contact.ts';

let entry: { owner: string; contacts: readonly Contact[] } | undefined;

/** The API's order: folded name, then id. */
const sortKey = (contact: Contact) => foldText(contact.name).trim();
function byName(a: Contact, b: Contact): number {
  const [ka, kb] = [sortKey(a), sortKey(b)];
  if (ka !== kb) return ka < kb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function cachedContacts(owner: string): readonly Contact[] | undefined {
  return entry?.owner === owner ? entry.contacts : undefined;
}

export function cacheContacts(owner: string, contacts: readonly Contact[]): void {
  entry = { owner, contacts };
}

/** `list` with `contact` added or replaced, in the order by name. */
export function withContact(list: readonly Contact[], contact: Contact): Contact[] {
  const next = list.filter((c) => c.id !== contact.id);
  const at = next.findIndex((c) => byName(contact, c) < 0);
  next.splice(at === -1 ? next.length : at, 0, contact);
  return next;
}

export function cacheContact(owner: string, contact: Contact): void {
  const list = cachedContacts(owner);
  if (list) entry = { owner, contacts: withContact(list, contact) };
}

export function uncacheContact(owner: string, id: string): void {
  const list = cachedContacts(owner);
  if (list) entry = { owner, contacts: list.filter((c) => c.id !== id) };
}

export function forgetContacts(): void {
  entry = undefined;
}
