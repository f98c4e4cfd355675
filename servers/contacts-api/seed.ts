// Demo address books, so a fresh checkout has data to show. Idempotent: a user who already
// owns contacts is left alone, so restarts never duplicate rows.
import { type DemoContact, type DemoUser, demoContacts, demoUsers } from '../demo-data.ts';
import type { ContactStore } from './store.ts';

/** Seeds each demo user (as a subject of `issuer`) who owns nothing yet; returns rows added. */
export function seedDemoContacts(
  store: ContactStore,
  issuer: string,
  users: readonly DemoUser[] = demoUsers,
  contacts: Readonly<Record<string, readonly DemoContact[]>> = demoContacts,
): number {
  let added = 0;
  for (const user of users) {
    const owner = { iss: issuer, sub: user.sub };
    store.transaction(() => {
      if (store.countContacts(owner) > 0) return;
      for (const { name, email, phone, company } of contacts[user.username] ?? []) {
        store.createContact(owner, {
          name,
          emails: email ? [email] : [],
          phones: phone ? [phone] : [],
          company,
        });
        added += 1;
      }
    });
  }
  return added;
}
