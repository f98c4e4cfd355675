// POST /contacts/batch over real HTTP, on both engines: per-item results, the rules of a
// single create for each item, the Idempotency-Key, duplicates found by import key, the
// quota and the rate limit.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, useTestDatabase } from './store/test-databases.ts';
import { type CallInit, type Harness, startHarness } from './test-harness.ts';

interface Result {
  status: 'created' | 'duplicate' | 'invalid';
  contact?: { id: string; name: string };
  id?: string;
  errors?: { field: string; rule?: string; message: string }[];
}

const newKey = () => `import-${randomUUID()}`;

const valid = [
  { name: 'Ada Lovelace', emails: ['ada@example.org'] },
  { name: '山田 太郎', phones: ['+81 3-1234-5678'] },
  { name: 'محمد علي', company: 'شركة' },
];
const bad = [{ name: '' }, { name: 'Bad Email', emails: ['not-an-email'] }];

describe.each(engines)('POST /contacts/batch on %s', (engine) => {
  const db = useTestDatabase(engine);

  let h: Harness;
  let write: string;
  beforeAll(async () => {
    h = await startHarness({ ...db.settings, quotas: { contacts: 8, idempotencyKeys: 100 } });
    write = await h.mint('importer', { claims: { scope: 'contacts:read contacts:write' } });
  });
  afterAll(() => h.close());

  const post = (body: unknown, init: CallInit = {}, key: string | null = newKey()) =>
    h.call('/contacts/batch', {
      method: 'POST',
      token: write,
      body,
      ...init,
      headers: { ...(key === null ? {} : { 'idempotency-key': key }), ...init.headers },
    });
  const results = (answer: { body: Record<string, unknown> }) => answer.body.results as Result[];
  const count = (sub = 'importer') => h.api.store.countContacts({ iss: h.issuer.issuer, sub });

  it('creates the valid items, reports each invalid one with its field and rule, and writes nothing of those', async () => {
    const answer = await post({ items: [valid[0], bad[0], valid[1], bad[1], valid[2]] });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ created: 3, duplicates: 0, invalid: 2 });
    expect(results(answer).map((r) => r.status)).toEqual([
      'created',
      'invalid',
      'created',
      'invalid',
      'created',
    ]);
    expect(results(answer)[1]?.errors).toEqual([
      { field: 'name', rule: 'min-length', message: 'must not have fewer than 1 characters' },
    ]);
    expect(results(answer)[3]?.errors).toEqual([
      { field: 'emails.0', rule: 'format', message: 'is not in a valid form' },
    ]);
    // Names in any script come back as sent, and are stored.
    const created = results(answer)[1 + 1]?.contact;
    expect(created?.name).toBe('山田 太郎');
    const stored = await h.call(`/contacts/${created?.id}`, { token: write });
    expect(stored.body.name).toBe('山田 太郎');
    expect(await count()).toBe(3);

    // The same file again, with a new Idempotency-Key (as a new import days later sends):
    // nothing is written, each valid item names the contact it matches.
    const again = await post({ items: [valid[0], bad[0], valid[1], bad[1], valid[2]] });
    expect(again.body).toMatchObject({ created: 0, duplicates: 3, invalid: 2 });
    expect(results(again).map((r) => r.id ?? r.status)).toEqual(
      results(answer).map((r) => r.contact?.id ?? r.status),
    );
    expect(await count()).toBe(3);
  });

  it('checks each item by exactly the rules of a single create', async () => {
    const items = [
      { name: 'x'.repeat(201) },
      { name: 'a', emails: Array(11).fill('a@b.example') },
      { name: 'a', phones: ['call me'] },
      { name: 'a', company: 5 },
      { name: 'a', version: 2 },
      { emails: [] },
      { name: 'a\u0000b' },
      5,
    ];
    const answer = await post({ items });
    expect(answer.status).toBe(200);
    for (const [i, item] of items.entries()) {
      const single = await h.call('/contacts', { method: 'POST', token: write, body: item });
      expect(single.status).toBe(400);
      expect(results(answer)[i]).toEqual({ status: 'invalid', errors: single.body.errors });
    }
  });

  it('replays the first answer for a retried batch (same Idempotency-Key), and refuses the key for another body', async () => {
    const key = newKey();
    const body = { items: [{ name: 'Retried Once' }] };
    const first = await post(body, {}, key);
    const retry = await post(body, {}, key);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    const other = await post({ items: [{ name: 'Something else' }] }, {}, key);
    expect(other.status).toBe(422);
  });

  it('refuses a batch without an Idempotency-Key, empty, too long or not a list, with 400', async () => {
    const noKey = await post({ items: [{ name: 'A' }] }, {}, null);
    expect(noKey.status).toBe(400);
    expect(noKey.body.errors).toEqual([
      { field: 'headers.idempotency-key', rule: 'required', message: 'is required' },
    ]);
    for (const body of [
      { items: [] },
      { items: Array.from({ length: 101 }, (_, i) => ({ name: `N${i}` })) },
      { items: { name: 'A' } },
      [{ name: 'A' }],
      { items: [{ name: 'A' }], extra: true },
    ]) {
      expect((await post(body)).status).toBe(400);
    }
  });

  it('takes a full batch of large items (the body limit is per item)', async () => {
    const item = (i: number) => ({
      name: `Big ${i}`,
      notes: 'ü'.repeat(2000),
      emails: Array.from({ length: 10 }, (_, j) => `${'e'.repeat(240)}${j}@x.example`),
    });
    const answer = await post({ items: Array.from({ length: 100 }, (_, i) => item(i)) });
    // 100 new contacts do not fit this user's quota of 8: refused whole, nothing written.
    expect(answer.status).toBe(409);
    expect(answer.body.quota).toEqual({ name: 'contacts', limit: 8 });
  });

  it('writes nothing of a batch that would go over the contacts quota, and says which quota', async () => {
    const token = await h.mint('quota-importer', {
      claims: { scope: 'contacts:read contacts:write' },
    });
    const names = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({ name: `Q${from + i}` }));
    expect((await post({ items: names(0, 6) }, { token })).status).toBe(200);
    const over = await post({ items: names(6, 3) }, { token });
    expect(over.status).toBe(409);
    expect(over.body.quota).toEqual({ name: 'contacts', limit: 8 });
    expect(await count('quota-importer')).toBe(6);
    // Duplicates take no room.
    const fits = await post({ items: names(4, 4) }, { token });
    expect(fits.body).toMatchObject({ created: 2, duplicates: 2 });
  });

  it('needs contacts:write', async () => {
    const read = await h.mint('importer');
    const answer = await post({ items: [{ name: 'A' }] }, { token: read });
    expect(answer.status).toBe(403);
  });
});

describe('POST /contacts/batch under the rate limit', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ rateLimits: { perUser: 2, perAddress: 0, windowSeconds: 60 } });
  });
  afterAll(() => h.close());

  it('counts a batch as one request, and answers 429 with Retry-After past the limit', async () => {
    const token = await h.mint('fast', { claims: { scope: 'contacts:read contacts:write' } });
    const batch = (n: number) =>
      h.call('/contacts/batch', {
        method: 'POST',
        token,
        body: { items: Array.from({ length: 50 }, (_, i) => ({ name: `R${n}-${i}` })) },
        headers: { 'idempotency-key': newKey() },
      });
    expect((await batch(1)).status).toBe(200);
    expect((await batch(2)).status).toBe(200);
    const limited = await batch(3);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await h.api.store.countContacts({ iss: h.issuer.issuer, sub: 'fast' })).toBe(100);
  });
});
