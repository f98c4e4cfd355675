// Batch imports in the store (store.ts importContacts), on both engines: an item whose import
// key the owner already has is a duplicate, whenever it comes back (no time limit, unlike an
// Idempotency-Key); a batch is written whole or not at all; two imports of the same file at
// once, on two stores (two replicas), still make each contact once.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { importKeyOf } from '../import-key.ts';
import type { ContactInput } from '../schemas.ts';
import { type IdempotentCreate, type ImportOutcome, QuotaExceededError } from './store.ts';
import { engines, useTestDatabase } from './test-databases.ts';

const ownerOf = () => ({ iss: 'http://localhost:4000', sub: `importer-${randomUUID()}` });
const items = (...inputs: ContactInput[]) =>
  inputs.map((input) => ({ input, importKey: importKeyOf(input) }));
const freshKey = (now = Date.now()) => ({ key: randomUUID(), requestHash: 'h', now });
const render = (outcomes: ImportOutcome[]) => JSON.stringify(outcomes);
const outcomesOf = (result: IdempotentCreate): ImportOutcome[] => {
  if (result.outcome === 'key-reused') throw new Error('key reused');
  return JSON.parse(result.body) as ImportOutcome[];
};
const statuses = (outcomes: ImportOutcome[]) => outcomes.map((o) => o.status);

const ada = { name: 'Ada Lovelace', emails: ['ada@example.org'], phones: ['+44 20 7946 0001'] };
const grace = { name: 'Grace Hopper', company: 'US Navy' };
const zoe = { name: 'Zoë Ødegård', notes: 'Fjord\nline two' };

describe.each(engines)('batch import on %s', (engine) => {
  const db = useTestDatabase(engine);

  it('creates each new item and answers the earlier contact for an item imported before', async () => {
    const store = await db.emptyStore();
    const owner = ownerOf();
    const first = outcomesOf(
      await store.importContacts(owner, items(ada, grace), freshKey(), render),
    );
    expect(statuses(first)).toEqual(['created', 'created']);
    // Days later (the Idempotency-Key long forgotten), the same items and one new one.
    const later = Date.now() + 7 * 24 * 60 * 60 * 1000;
    const again = outcomesOf(
      await store.importContacts(owner, items(grace, zoe, ada), freshKey(later), render),
    );
    expect(statuses(again)).toEqual(['duplicate', 'created', 'duplicate']);
    const idOf = (o: ImportOutcome | undefined) => (o?.status === 'created' ? o.contact.id : o?.id);
    expect(idOf(again[0])).toBe(idOf(first[1]));
    expect(idOf(again[2])).toBe(idOf(first[0]));
    expect(await store.countContacts(owner)).toBe(3);
    // Keys are per owner: another owner importing the same items gets contacts of their own.
    const other = outcomesOf(await store.importContacts(ownerOf(), items(ada), freshKey(), render));
    expect(statuses(other)).toEqual(['created']);
  });

  it('makes one contact of an item repeated within a batch', async () => {
    const store = await db.emptyStore();
    const owner = ownerOf();
    const outcomes = outcomesOf(
      await store.importContacts(owner, items(ada, ada, grace), freshKey(), render),
    );
    expect(statuses(outcomes)).toEqual(['created', 'duplicate', 'created']);
    const [made, repeat] = outcomes;
    expect(repeat?.status === 'duplicate' && repeat.id).toBe(
      made?.status === 'created' && made.contact.id,
    );
    expect(await store.countContacts(owner)).toBe(2);
  });

  it('keeps the key through an edit (a re-import brings back nothing), not through a delete', async () => {
    const store = await db.emptyStore();
    const owner = ownerOf();
    const [made] = outcomesOf(await store.importContacts(owner, items(ada), freshKey(), render));
    if (made?.status !== 'created') throw new Error('not created');
    const edited = await store.replaceContact(owner, made.contact, { ...ada, name: 'Ada King' });
    expect(
      statuses(outcomesOf(await store.importContacts(owner, items(ada), freshKey(), render))),
    ).toEqual(['duplicate']);
    expect((await store.getContact(owner, made.contact.id))?.name).toBe('Ada King');
    // Deleted on purpose, then imported again on purpose: it comes back.
    expect(await store.deleteContact(owner, made.contact.id, edited?.version ?? 0)).toBe(true);
    expect(
      statuses(outcomesOf(await store.importContacts(owner, items(ada), freshKey(), render))),
    ).toEqual(['created']);
  });

  it('replays the stored answer for the same Idempotency-Key, and refuses it for another body', async () => {
    const store = await db.emptyStore();
    const owner = ownerOf();
    const key = freshKey();
    const first = await store.importContacts(owner, items(ada, grace), key, render);
    const replay = await store.importContacts(owner, items(ada, grace), key, () => 'not used');
    expect(replay).toEqual({
      outcome: 'replayed',
      body: first.outcome === 'created' && first.body,
    });
    const reused = await store.importContacts(
      owner,
      items(zoe),
      { ...key, requestHash: 'other' },
      render,
    );
    expect(reused).toEqual({ outcome: 'key-reused' });
    expect(await store.countContacts(owner)).toBe(2);
  });

  it('writes nothing of a batch whose new contacts would not all fit the quota', async () => {
    await db.emptyStore();
    const store = await db.otherStore({ contacts: 3, idempotencyKeys: 100 });
    const owner = ownerOf();
    await store.importContacts(owner, items(ada, grace), freshKey(), render);
    const tooMany = store.importContacts(owner, items(zoe, { name: 'Four' }), freshKey(), render);
    await expect(tooMany).rejects.toBeInstanceOf(QuotaExceededError);
    expect(await store.countContacts(owner)).toBe(2);
    // Duplicates take no room: the same batch with one new item fits exactly.
    const fits = await store.importContacts(owner, items(ada, grace, zoe), freshKey(), render);
    expect(statuses(outcomesOf(fits))).toEqual(['duplicate', 'duplicate', 'created']);
    // The refused batch stored no key: its key, once there is room, still works.
    expect(await store.countContacts(owner)).toBe(3);
  });

  it('makes each contact once when two stores import the same file at the same time', async () => {
    await db.emptyStore();
    const [a, b] = [await db.otherStore(), await db.otherStore()];
    const owner = ownerOf();
    const file = items(...Array.from({ length: 30 }, (_, i) => ({ name: `Racer ${i}` })));
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 === 0 ? a : b).importContacts(owner, file, freshKey(), render),
      ),
    );
    const created = results.flatMap(outcomesOf).filter((o) => o.status === 'created');
    expect(created).toHaveLength(30);
    expect(await a.countContacts(owner)).toBe(30);
  });
});

describe('import keys', () => {
  it('ignore what programs change between two exports of one card, not what tells cards apart', () => {
    const base = importKeyOf({
      name: 'Ada Lovelace',
      emails: ['ada@example.org', 'a.l@example.com'],
      phones: ['+44 20 7946 0001'],
      company: 'Analytical Engines',
      notes: 'one\ntwo',
    });
    const reexported = importKeyOf({
      name: ' Ada  Lovelace ',
      emails: ['A.L@example.com', 'ADA@example.org'],
      phones: ['+44 (20) 7946-0001'],
      company: 'Analytical Engines ',
      notes: 'one\r\ntwo\r\n',
    });
    expect(reexported).toBe(base);
    // NFC: a decomposed ë is the same name.
    expect(importKeyOf({ name: 'Zoe\u0308' })).toBe(importKeyOf({ name: 'Zo\u00eb' }));
    for (const other of [
      { name: 'Ada Lovelace' },
      { name: 'Ada Lovelace', emails: ['ada@example.org'], phones: ['+44 20 7946 0001'] },
      { name: 'Ada lovelace', emails: ['ada@example.org', 'a.l@example.com'] },
    ]) {
      expect(importKeyOf(other)).not.toBe(base);
    }
  });
});
