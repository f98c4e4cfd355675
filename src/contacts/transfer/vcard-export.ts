// Contacts as vCard 4.0 (RFC 6350), written by ical.js (escaping, and folding at 75 octets
// without splitting a character). Per card: FN (the name, as stored, in any script), EMAIL,
// TEL, ORG, NOTE, UID (the contact's id) and REV. No N: the app keeps one name, and cutting it
// into family and given names is guesswork in many scripts; RFC 6350 makes N optional.
import ICAL from 'ical.js';
import { timeSlices } from '../../lib/yield-to-main.ts';
import type { Contact } from '../contact.ts';

export function contactToVcard(contact: Contact): string {
  const card = new ICAL.Component('vcard');
  card.addPropertyWithValue('version', '4.0');
  card.addPropertyWithValue('fn', contact.name);
  for (const email of contact.emails) card.addPropertyWithValue('email', email);
  for (const phone of contact.phones) card.addPropertyWithValue('tel', phone);
  // ORG is structured (organisation;unit): one component, so a ';' stays in the name.
  if (contact.company) card.addPropertyWithValue('org', [contact.company]);
  if (contact.notes) card.addPropertyWithValue('note', contact.notes);
  card.addPropertyWithValue('uid', `urn:uuid:${contact.id}`);
  const rev = contact.updatedAt.replace(/[-:]/g, '').replace(/\.\d+/, '');
  card.addPropertyWithValue('rev', rev);
  return card.toString();
}

/** One file's text: the cards one after another, CRLF line ends (RFC 6350). */
export async function contactsToVcard(
  contacts: readonly Contact[],
  signal?: AbortSignal,
): Promise<string> {
  const slices = timeSlices(signal);
  const cards: string[] = [];
  for (const contact of contacts) {
    cards.push(contactToVcard(contact));
    if (slices.due()) await slices.yield();
  }
  return cards.length > 0 ? `${cards.join('\r\n')}\r\n` : '';
}
