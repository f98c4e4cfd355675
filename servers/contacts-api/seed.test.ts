import { describe, expect, it } from 'vitest';
import { demoContacts, demoUsers } from '../demo-data.ts';
import { seedDemoContacts } from './seed.ts';
import { generateContacts, seedScaleContacts } from './seed-scale.ts';
import { engines, useTestDatabase } from './store/test-databases.ts';

const ISSUER = 'http://localhost:4000';
const all = { terms: [], after: undefined, limit: 200 };

describe.each(engines)('on %s', (engine) => {
  const db = useTestDatabase(engine);

  describe('seedDemoContacts', () => {
    it('gives each demo user their own address book, once', async () => {
      const store = await db.emptyStore();
      const expected = demoUsers.reduce((n, u) => n + (demoContacts[u.username]?.length ?? 0), 0);
      expect(await seedDemoContacts(store, ISSUER)).toBe(expected);
      expect(await seedDemoContacts(store, ISSUER)).toBe(0);
      for (const user of demoUsers) {
        const { items } = await store.listContacts({ iss: ISSUER, sub: user.sub }, all);
        expect(items.map((c) => c.name).sort()).toEqual(
          (demoContacts[user.username] ?? []).map((c) => c.name).sort(),
        );
        for (const demo of demoContacts[user.username] ?? []) {
          const row = items.find((c) => c.name === demo.name);
          expect(row?.emails).toEqual(demo.email ? [demo.email] : []);
          expect(row?.phones).toEqual(demo.phone ? [demo.phone] : []);
        }
      }
    });

    it('leaves a user who already owns contacts alone', async () => {
      const store = await db.emptyStore();
      const owner = { iss: ISSUER, sub: demoUsers[0]?.sub ?? '' };
      await store.createContact(owner, { name: 'Mine' });
      await seedDemoContacts(store, ISSUER);
      expect((await store.listContacts(owner, all)).items.map((c) => c.name)).toEqual(['Mine']);
    });
  });

  describe('seedScaleContacts', () => {
    it('generates valid, varied, deterministic contacts', async () => {
      const a = generateContacts(500);
      expect(generateContacts(500)).toEqual(a);
      expect(new Set(a.map((c) => c.name)).size).toBeGreaterThan(300);
      expect(a.some((c) => /[^\p{ASCII}]/u.test(c.name))).toBe(true);
      expect(a.every((c) => (c.emails?.length ?? 0) >= 1)).toBe(true);
    });

    it('tops a user up to the count, once', async () => {
      const store = await db.emptyStore();
      const owner = { iss: ISSUER, sub: 'scale' };
      expect(await seedScaleContacts(store, owner, { count: 300 })).toBe(300);
      expect(await seedScaleContacts(store, owner, { count: 300 })).toBe(0);
      expect(await store.countContacts(owner)).toBe(300);
    });

    it('stops at the contacts quota, so the user is never over it', async () => {
      const store = await db.emptyStore({ contacts: 120, idempotencyKeys: 10 });
      const owner = { iss: ISSUER, sub: 'scale' };
      expect(await seedScaleContacts(store, owner, { count: 300, quota: 120 })).toBe(120);
      expect(await store.countContacts(owner)).toBe(120);
      // At the quota, exactly: the API's own check refuses the next create (positive control
      // that a seed over it would have left the user with nothing to do but delete).
      await expect(store.createContact(owner, { name: 'One more' })).rejects.toMatchObject({
        code: 'QUOTA_EXCEEDED',
      });
    });
  });

  describe('seedDemoContacts within the quota', () => {
    it('gives each demo user at most the quota', async () => {
      const store = await db.emptyStore();
      const user = demoUsers.find((u) => (demoContacts[u.username]?.length ?? 0) > 2);
      if (!user) throw new Error('a demo user with more than 2 contacts');
      await seedDemoContacts(store, ISSUER, { users: [user], quota: 2 });
      expect(await store.countContacts({ iss: ISSUER, sub: user.sub })).toBe(2);
    });
  });
});
