// Search-as-you-type over the contacts already loaded: each word typed must start a word of
// the name, emails, phones or company (the API's rule), ignoring case and accents. The words
// are folded once per contact, so a keystroke costs one substring scan per contact.
import { foldWords } from '../../servers/shared/fold-text.ts';
import type { Contact } from './contact.ts';

export interface SearchIndex {
  contacts: readonly Contact[];
  /** Per contact: " word word …", so "starts a word" is `includes(' ' + term)`. */
  haystacks: readonly string[];
}

/** Per contact object: a refresh keeps unchanged contacts' objects (contact-merge.ts). */
const haystackCache = new WeakMap<Contact, string>();

export function buildSearchIndex(contacts: readonly Contact[]): SearchIndex {
  const haystacks = contacts.map((contact) => {
    let haystack = haystackCache.get(contact);
    if (haystack === undefined) {
      haystack = haystackOf(contact);
      haystackCache.set(contact, haystack);
    }
    return haystack;
  });
  return { contacts, haystacks };
}

function haystackOf({ name, emails, phones, company }: Contact): string {
  const words = [name, company ?? '', ...emails, ...phones].flatMap(foldWords);
  // A phone also matches as its digits run together: "+4420" finds "+44 20 7946 0018".
  const digits = phones.map((phone) => phone.replace(/\D+/g, '')).filter(Boolean);
  return ` ${[...words, ...digits].join(' ')}`;
}

export function searchContacts(index: SearchIndex, query: string): readonly Contact[] {
  const terms = [...new Set(foldWords(query))].map((word) => ` ${word}`);
  if (terms.length === 0) return index.contacts;
  return index.contacts.filter((_, i) => {
    const haystack = index.haystacks[i] ?? '';
    return terms.every((term) => haystack.includes(term));
  });
}
