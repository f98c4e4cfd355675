// Two writers at once, each on a store of its own (on PostgreSQL: its own pool, as two
// replicas): the database, not the order of reads, decides who wins.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ContactStore } from './store.ts';
import { engines, useTestDatabase } from './test-databases.ts';

const ownerOf = () => ({ iss: 'http://localhost:4000', sub: `racer-${randomUUID()}` });

describe.each(engines)('concurrent writers on %s', (engine) => {
  const db = useTestDatabase(engine);
  const twoStores = async (): Promise<[ContactStore, ContactStore]> => {
    await db.emptyStore();
    return [await db.otherStore(), await db.otherStore()];
  };

  it('create the contact of one Idempotency-Key once, and all get its body', async () => {
    const [a, b] = await twoStores();
    const owner = ownerOf();
    const key = { key: 'same-key', requestHash: 'h1', now: Date.now() };
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 === 0 ? a : b).createContactOnce(owner, { name: 'Once' }, key),
      ),
    );
    expect(results.filter((r) => r.outcome === 'created')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'replayed')).toHaveLength(7);
    expect(new Set(results.map((r) => ('body' in r ? r.body : '')))).toHaveProperty('size', 1);
    expect(await a.countContacts(owner)).toBe(1);
    // The same key with another body, at the other store: refused, nothing created.
    const other = await b.createContactOnce(
      owner,
      { name: 'Twice' },
      { ...key, requestHash: 'h2' },
    );
    expect(other).toEqual({ outcome: 'key-reused' });
    expect(await b.countContacts(owner)).toBe(1);
  });

  it('let exactly one of several replaces of the same version win', async () => {
    const [a, b] = await twoStores();
    const owner = ownerOf();
    const first = await a.createContact(owner, { name: 'Version one' });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 === 0 ? a : b).replaceContact(owner, first, { name: `Writer ${i}` }),
      ),
    );
    const winners = results.filter((r) => r !== undefined);
    expect(winners).toHaveLength(1);
    const stored = await b.getContact(owner, first.id);
    expect(stored).toEqual(winners[0]);
    expect(stored?.version).toBe(2);
  });

  it('let a replace and a delete of the same version not both succeed', async () => {
    const [a, b] = await twoStores();
    const owner = ownerOf();
    const first = await a.createContact(owner, { name: 'Contested' });
    const [replaced, deleted] = await Promise.all([
      a.replaceContact(owner, first, { name: 'Kept' }),
      b.deleteContact(owner, first.id, first.version),
    ]);
    expect([replaced !== undefined, deleted].filter(Boolean)).toHaveLength(1);
    expect((await a.getContact(owner, first.id))?.name).toBe(deleted ? undefined : 'Kept');
  });

  it('seed an empty owner once when two processes start together', async () => {
    const [a, b] = await twoStores();
    const owner = ownerOf();
    const inputs = [{ name: 'Demo 1' }, { name: 'Demo 2' }];
    const added = await Promise.all([
      a.createContacts(owner, inputs, { onlyIfEmpty: true }),
      b.createContacts(owner, inputs, { onlyIfEmpty: true }),
    ]);
    expect(added.sort()).toEqual([0, 2]);
    expect(await a.countContacts(owner)).toBe(2);
  });
});
