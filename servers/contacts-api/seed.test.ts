import { describe, expect, it } from 'vitest';
import { demoContacts, demoUsers } from '../demo-data.ts';
import { seedDemoContacts } from './seed.ts';
import { openContactStore } from './store.ts';

const ISSUER = 'http://localhost:4000';

describe('seedDemoContacts', () => {
  it('gives each demo user their own address book, once', () => {
    const store = openContactStore(':memory:');
    const expected = demoUsers.reduce((n, u) => n + (demoContacts[u.username]?.length ?? 0), 0);
    expect(seedDemoContacts(store, ISSUER)).toBe(expected);
    expect(seedDemoContacts(store, ISSUER)).toBe(0);

    for (const user of demoUsers) {
      const names = store.listContacts({ iss: ISSUER, sub: user.sub }).map((c) => c.name);
      expect(names.sort()).toEqual((demoContacts[user.username] ?? []).map((c) => c.name).sort());
    }
    store.close();
  });

  it('leaves a user who already owns contacts alone', () => {
    const store = openContactStore(':memory:');
    const [alice] = demoUsers;
    if (!alice) throw new Error('demo data has no users');
    store.createContact(
      { iss: ISSUER, sub: alice.sub },
      { name: 'Mine', email: null, phone: null, company: null },
    );
    seedDemoContacts(store, ISSUER);
    expect(store.listContacts({ iss: ISSUER, sub: alice.sub }).map((c) => c.name)).toEqual([
      'Mine',
    ]);
    store.close();
  });
});
