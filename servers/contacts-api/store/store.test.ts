import { describe, expect, it } from 'vitest';
import { searchColumn, searchTerms, sortKey } from '../fold.ts';
import type { Contact } from '../schemas.ts';
import { generateContacts } from '../seed-scale.ts';
import type { ContactStore } from './store.ts';
import { engines, useTestDatabase } from './test-databases.ts';

const ISSUER = 'http://localhost:4000';
const alice = { iss: ISSUER, sub: 'alice' };
const contact = (name: string) => ({ name });
const all = { terms: [], after: undefined, limit: 200 };
const names = async (store: ContactStore, q = '', owner = alice) =>
  (await store.listContacts(owner, { ...all, terms: searchTerms(q) })).items.map((c) => c.name);

describe.each(engines)('contact store on %s', (engine) => {
  const db = useTestDatabase(engine);

  it('keys rows by issuer and subject: the same sub at another issuer sees nothing', async () => {
    const store = await db.emptyStore();
    const ada = await store.createContact(alice, contact('Ada'));
    expect(await names(store)).toEqual(['Ada']);
    expect(await names(store, '', { iss: 'https://other.example', sub: 'alice' })).toEqual([]);
    expect(await store.getContact({ iss: ISSUER, sub: 'bob' }, ada.id)).toBeUndefined();
    expect(await store.deleteContact({ iss: ISSUER, sub: 'bob' }, ada.id, 1)).toBe(false);
  });

  it('tells each owner its own list version, also when owners ask at the same moment', async () => {
    const store = await db.emptyStore();
    const bob = { iss: ISSUER, sub: 'bob' };
    const elsewhere = { iss: 'https://other.example', sub: 'alice' };
    expect(await store.listVersion(alice)).toBeUndefined(); // never had a contact
    const ada = await store.createContact(alice, contact('Ada'));
    await store.createContact(alice, contact('Grace'));
    await store.createContact(bob, contact('Barbara'));
    const [a, b, none] = await Promise.all([
      store.listVersion(alice),
      store.listVersion(bob),
      store.listVersion(elsewhere),
    ]);
    expect(none).toBeUndefined();
    expect(a?.ownerId).not.toBe(b?.ownerId);
    expect(a?.version).toBeGreaterThan(b?.version ?? Number.POSITIVE_INFINITY);
    await store.deleteContact(alice, ada.id, ada.version);
    const [after, bobAfter] = await Promise.all([store.listVersion(alice), store.listVersion(bob)]);
    expect(after?.version).toBeGreaterThan(a?.version ?? Number.POSITIVE_INFINITY);
    expect(bobAfter).toEqual(b);
  });

  it('sorts by name ignoring case and accents (Émile with the Es, not after Z)', async () => {
    const store = await db.emptyStore();
    for (const name of ['zed', 'Émile', 'bob', 'Alice', 'Ødegård', 'eve']) {
      await store.createContact(alice, contact(name));
    }
    expect(await names(store)).toEqual(['Alice', 'bob', 'Émile', 'eve', 'Ødegård', 'zed']);
  });

  it('searches by word prefix across fields, accent- and case-insensitively', async () => {
    const store = await db.emptyStore();
    await store.createContact(alice, { name: 'Zoë Ødegård', company: 'Fjord & Co' });
    await store.createContact(alice, {
      name: 'Hans Müller',
      emails: ['hans@mueller.example'],
      phones: ['+44 20 7946 0018'],
    });
    await store.createContact(alice, { name: 'Straße Weiß' });
    expect(await names(store, 'zoe')).toEqual(['Zoë Ødegård']);
    expect(await names(store, 'ODEG')).toEqual(['Zoë Ødegård']);
    expect(await names(store, 'muller')).toEqual(['Hans Müller']);
    expect(await names(store, 'MÜL')).toEqual(['Hans Müller']);
    expect(await names(store, 'fjord')).toEqual(['Zoë Ødegård']);
    expect(await names(store, 'mueller.ex')).toEqual(['Hans Müller']);
    expect(await names(store, '+4420')).toEqual(['Hans Müller']);
    expect(await names(store, '7946 0018')).toEqual(['Hans Müller']);
    expect(await names(store, 'strasse weiss')).toEqual(['Straße Weiß']);
    expect(await names(store, 'üller')).toEqual([]); // prefixes of words, not infixes
    expect(await names(store, '%')).toHaveLength(3); // no words: no filter, and no LIKE wildcards
  });

  it('finds through the prefix index exactly what a walk over every row finds, in order', async () => {
    const store = await db.emptyStore();
    const inputs = generateContacts(400, 7);
    const created: Contact[] = [];
    for (const input of inputs) created.push(await store.createContact(alice, input));
    await store.createContact({ iss: ISSUER, sub: 'bob' }, { name: 'Zoë Bob-only' });
    const byName = [...created].sort((a, b) => {
      const ka = sortKey(a.name);
      const kb = sortKey(b.name);
      return ka < kb ? -1 : ka > kb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
    for (const q of [
      'zoe',
      'z',
      'mul',
      'muller',
      'Ødeg',
      'oder',
      'emile',
      'ch',
      'chen',
      'acme co',
      '+44',
      '44',
      'example',
      'anna mul',
      'mul anna',
      'fjord',
      'zz',
      'søren',
      'x',
    ]) {
      const terms = searchTerms(q);
      const expected = byName
        .filter((c) => terms.every((term) => searchColumn(c).includes(term)))
        .map((c) => c.id);
      const seen: string[] = [];
      let after: { sortKey: string; id: string } | undefined;
      do {
        const page = await store.listContacts(alice, { terms, after, limit: 7 });
        seen.push(...page.items.map((c) => c.id));
        after = page.next ?? undefined;
      } while (after);
      expect(seen, q).toEqual(expected);
    }
  });

  it('keeps the search index in step with updates and deletes', async () => {
    const store = await db.emptyStore();
    const zoe = await store.createContact(alice, { name: 'Zoë Ødegård', company: 'Fjord' });
    const renamed = (await store.replaceContact(alice, zoe, { name: 'Ada Lovelace' }))!;
    expect(await names(store, 'zoe')).toEqual([]);
    expect(await names(store, 'fjord')).toEqual([]);
    expect(await names(store, 'love')).toEqual(['Ada Lovelace']);
    expect(await store.deleteContact(alice, renamed.id, renamed.version)).toBe(true);
    expect(await names(store, 'ada')).toEqual([]);
  });

  it('pages with a keyset cursor, with no gaps or repeats', async () => {
    const store = await db.emptyStore();
    for (let i = 0; i < 7; i += 1) await store.createContact(alice, contact('Same name'));
    const seen: string[] = [];
    let after: { sortKey: string; id: string } | undefined;
    do {
      const page = await store.listContacts(alice, { terms: [], after, limit: 3 });
      seen.push(...page.items.map((c) => c.id));
      after = page.next ?? undefined;
    } while (after);
    expect(new Set(seen).size).toBe(7);
  });

  it('splits pages between documents even when text looks like a document boundary', async () => {
    const store = await db.emptyStore();
    const tricky = [
      'a ,{"id":"fake"}',
      'b "},{"id":"x',
      'c \\",{\\"id\\":',
      'd ,{"id":',
      'e 😀 ,{"id":"y","name":"z"}',
    ];
    for (const name of tricky) {
      await store.createContact(alice, {
        name,
        notes: `,{"id":"${name}"}`,
        emails: ['x@{"id":.example'],
      });
    }
    for (const limit of [1, 2, 3, 4]) {
      const seen: string[] = [];
      let after: { sortKey: string; id: string } | undefined;
      do {
        const page = await store.listContacts(alice, { terms: searchTerms(''), after, limit });
        expect(page.items.length).toBeLessThanOrEqual(limit);
        seen.push(...page.items.map((c) => c.name));
        after = page.next ?? undefined;
      } while (after);
      expect(seen, `limit ${limit}`).toEqual(tricky);
    }
  });

  it('replaces every field and bumps the version', async () => {
    const store = await db.emptyStore();
    const first = await store.createContact(alice, {
      name: 'Ada',
      emails: ['a@x.example'],
      notes: 'n',
    });
    const second = await store.replaceContact(alice, first, { name: 'Ada L.' });
    expect(second).toMatchObject({ id: first.id, version: 2, emails: [], notes: null });
    expect(await store.getContact(alice, first.id)).toEqual(second);
  });

  it('rolls back a failed transaction', async () => {
    const store = await db.emptyStore();
    await expect(
      store.createContacts(alice, [contact('Ada'), contact('')]), // '' violates the CHECK
    ).rejects.toThrow();
    expect(await names(store)).toEqual([]);
  });
});
