// Per-user quotas (issue 19): a create over the number of contacts or of stored idempotency
// keys is refused with nothing written, exactly, also when many run at once on two stores (on
// PostgreSQL: two pools, as two replicas; READ COMMITTED would let a count-then-insert pass).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type ContactStore, QuotaExceededError, type StoreQuotas } from './store.ts';
import { engines, useTestDatabase } from './test-databases.ts';

const ownerOf = () => ({ iss: 'http://localhost:4000', sub: `quota-${randomUUID()}` });
const keyed = (key: string) => ({ key, requestHash: `hash-${key}`, now: Date.now() });

/** Which quota refused, or 'ok'. */
async function outcome(create: Promise<unknown>): Promise<string> {
  try {
    await create;
    return 'ok';
  } catch (err) {
    if (err instanceof QuotaExceededError) return `${err.quota} ${err.limit}`;
    throw err;
  }
}

describe.each(engines)('quotas on %s', (engine) => {
  const db = useTestDatabase(engine);
  const stores = async (quotas: StoreQuotas): Promise<[ContactStore, ContactStore]> => {
    await db.emptyStore();
    return [await db.otherStore(quotas), await db.otherStore(quotas)];
  };

  it('refuse the contact after the last one allowed, and allow one again after a delete', async () => {
    const [store] = await stores({ contacts: 3, idempotencyKeys: 100 });
    const owner = ownerOf();
    const made = [];
    for (const name of ['A', 'B', 'C']) made.push(await store.createContact(owner, { name }));
    expect(await outcome(store.createContact(owner, { name: 'D' }))).toBe('contacts 3');
    expect(await outcome(store.createContactOnce(owner, { name: 'D' }, keyed('k')))).toBe(
      'contacts 3',
    );
    expect(await store.countContacts(owner)).toBe(3);
    // The refused keyed create stored no key: the same key, once there is room, creates.
    const first = made[0];
    if (!first) throw new Error('no contact made');
    expect(await store.deleteContact(owner, first.id, first.version)).toBe(true);
    expect((await store.createContactOnce(owner, { name: 'D' }, keyed('k'))).outcome).toBe(
      'created',
    );
    expect(await store.countContacts(owner)).toBe(3);
    // Another owner is not affected.
    expect(await outcome(store.createContact(ownerOf(), { name: 'E' }))).toBe('ok');
  });

  it('refuse a new idempotency key after the last one allowed, but replay the stored ones', async () => {
    const [store] = await stores({ contacts: 100, idempotencyKeys: 2 });
    const owner = ownerOf();
    for (const key of ['k1', 'k2']) {
      expect((await store.createContactOnce(owner, { name: key }, keyed(key))).outcome).toBe(
        'created',
      );
    }
    expect(await outcome(store.createContactOnce(owner, { name: 'k3' }, keyed('k3')))).toBe(
      'idempotencyKeys 2',
    );
    expect((await store.createContactOnce(owner, { name: 'k1' }, keyed('k1'))).outcome).toBe(
      'replayed',
    );
    // Keys older than a day are not counted.
    const tomorrow = { ...keyed('k3'), now: Date.now() + 24 * 60 * 60 * 1000 + 1 };
    expect((await store.createContactOnce(owner, { name: 'k3' }, tomorrow)).outcome).toBe(
      'created',
    );
    expect(await store.countContacts(owner)).toBe(3);
  });

  it('hold the contacts quota exactly when many creates race on two stores', async () => {
    const [a, b] = await stores({ contacts: 5, idempotencyKeys: 100 });
    const owner = ownerOf();
    await a.createContact(owner, { name: 'Existing' }); // the owner's row exists
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        outcome(
          i % 4 === 0
            ? (i % 8 === 0 ? a : b).createContactOnce(owner, { name: `R${i}` }, keyed(`r${i}`))
            : (i % 2 === 0 ? a : b).createContact(owner, { name: `R${i}` }),
        ),
      ),
    );
    expect(results.filter((r) => r === 'ok')).toHaveLength(4);
    expect(results.filter((r) => r === 'contacts 5')).toHaveLength(12);
    expect(await b.countContacts(owner)).toBe(5);
  });

  it('hold the contacts quota exactly for a first contact raced on two stores', async () => {
    const [a, b] = await stores({ contacts: 1, idempotencyKeys: 100 });
    const owner = ownerOf(); // no row yet: the first creates race to make it
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        outcome((i % 2 === 0 ? a : b).createContact(owner, { name: `F${i}` })),
      ),
    );
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(await a.countContacts(owner)).toBe(1);
  });

  it('hold the idempotency-key quota exactly when many new keys race on two stores', async () => {
    const [a, b] = await stores({ contacts: 100, idempotencyKeys: 3 });
    const owner = ownerOf();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        outcome((i % 2 === 0 ? a : b).createContactOnce(owner, { name: `K${i}` }, keyed(`k${i}`))),
      ),
    );
    expect(results.filter((r) => r === 'ok')).toHaveLength(3);
    expect(results.filter((r) => r === 'idempotencyKeys 3')).toHaveLength(9);
    expect(await a.countContacts(owner)).toBe(3);
  });
});
