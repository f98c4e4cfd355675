// The API's order of the address book: folded name, then id. Lists kept in the browser keep
// it too, so a contact saved or heard of lands where a reload would put it.
import { foldText } from '../../servers/shared/fold-text.ts';
import type { Contact } from './contact.ts';

const sortKey = (contact: Contact) => foldText(contact.name).trim();

export function byName(a: Contact, b: Contact): number {
  const [ka, kb] = [sortKey(a), sortKey(b)];
  if (ka !== kb) return ka < kb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** `list` with `contact` added or replaced, in the order by name. */
export function withContact(list: readonly Contact[], contact: Contact): Contact[] {
  const next = list.filter((c) => c.id !== contact.id);
  const at = next.findIndex((c) => byName(contact, c) < 0);
  next.splice(at === -1 ? next.length : at, 0, contact);
  return next;
}
