// Demo address books, so a fresh checkout has data to show. Idempotent: a user who already
// owns contacts is left alone, so restarts never duplicate rows.
import { type DemoContact, type DemoUser, demoContacts, demoUsers } from '../demo-data.ts';
import { type ContactStore, DEFAULT_QUOTAS } from './store/store.ts';

/**
 * Seeds each demo user (as a subject of `issuer`) who owns nothing yet, never past `quota`
 * contacts each (API_MAX_CONTACTS_PER_USER); returns rows added.
 */
export async function seedDemoContacts(
  store: ContactStore,
  issuer: string,
  {
    users = demoUsers,
    contacts = demoContacts,
    quota = DEFAULT_QUOTAS.contacts,
  }: {
    users?: readonly DemoUser[];
    contacts?: Readonly<Record<string, readonly DemoContact[]>>;
    quota?: number;
  } = {},
): Promise<number> {
  let added = 0;
  for (const user of users) {
    const inputs = (contacts[user.username] ?? [])
      .slice(0, quota)
      .map(({ name, email, phone, company }) => ({
        name,
        emails: email ? [email] : [],
        phones: phone ? [phone] : [],
        company,
      }));
    // onlyIfEmpty: the check and the inserts are one transaction, so two processes starting
    // together seed a user once.
    added += await store.createContacts({ iss: issuer, sub: user.sub }, inputs, {
      onlyIfEmpty: true,
    });
  }
  return added;
}
