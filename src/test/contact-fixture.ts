import type { Contact } from '../contacts/contact.ts';

/** A contact as the API returns it, with only what a test cares about filled in. */
export const makeContact = (id: string, name: string, extra: Partial<Contact> = {}): Contact => ({
  id,
  name,
  emails: [],
  phones: [],
  company: null,
  notes: null,
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});
