// Writing contacts over real HTTP: validation, ETag / If-Match, Idempotency-Key, limits.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { engines, useTestDatabase } from './store/test-databases.ts';
import { type CallInit, type Harness, startHarness } from './test-harness.ts';

describe.each(engines)('on %s', (engine) => {
  const db = useTestDatabase(engine);

  let h: Harness;
  let write: string;
  let read: string;

  beforeAll(async () => {
    h = await startHarness(db.settings);
    write = await h.mint('writer', { claims: { scope: 'contacts:read contacts:write' } });
    read = await h.mint('writer');
  });
  afterAll(() => h.close());

  const create = (body: unknown, init: CallInit = {}) =>
    h.call('/contacts', { method: 'POST', token: write, body, ...init });
  const count = async () => h.api.store.countContacts({ iss: h.issuer.issuer, sub: 'writer' });

  describe('POST /contacts', () => {
    it('creates: 201 with Location, ETag and the stored contact', async () => {
      const answer = await create({
        name: 'Grace Hopper',
        emails: ['grace@navy.example', 'g@cobol.example'],
        phones: ['+1 202 555 0143 ext. 12'],
        company: 'US Navy',
        notes: null,
      });
      expect(answer.status).toBe(201);
      expect(answer.headers.get('location')).toBe(`/contacts/${answer.body.id}`);
      expect(answer.headers.get('etag')).toBe('"v1"');
      expect(answer.body).toMatchObject({ name: 'Grace Hopper', version: 1, notes: null });
      const got = await h.call(answer.headers.get('location') ?? '', { token: read });
      expect(got.body).toEqual(answer.body);
    });

    it('keeps Unicode exactly as sent (any script, no normalisation)', async () => {
      const name = 'Zoe\u0308 Ødegård 日本 محمد 👩🏽‍💻'; // decomposed ë on purpose
      const answer = await create({ name, notes: 'ß\u00a0—\u200d' });
      expect(answer.status).toBe(201);
      expect(answer.body.name).toBe(name);
      expect((await h.call(`/contacts/${answer.body.id}`, { token: read })).body.name).toBe(name);
      const found = await h.call('/contacts?q=zoe', { token: read });
      expect(found.body.items?.map((c) => c.name)).toContain(name);
    });

    it.each([
      ['no name', { emails: [] }, 'name', 'is required'],
      ['empty name', { name: '' }, 'name', undefined],
      ['blank name', { name: '   ' }, 'name', undefined],
      ['name too long', { name: 'x'.repeat(201) }, 'name', undefined],
      ['name not a string (no coercion)', { name: 5 }, 'name', 'has the wrong type'],
      [
        'too many emails',
        { name: 'a', emails: Array(11).fill('a@b.example') },
        'emails',
        undefined,
      ],
      [
        'email too long',
        { name: 'a', emails: [`${'a'.repeat(250)}@b.example`] },
        'emails.0',
        undefined,
      ],
      [
        'email without @',
        { name: 'a', emails: ['ok@x.example', 'nope'] },
        'emails.1',
        'is not in a valid form',
      ],
      ['too many phones', { name: 'a', phones: Array(11).fill('+1 555') }, 'phones', undefined],
      [
        'phone with letters',
        { name: 'a', phones: ['call me'] },
        'phones.0',
        'is not in a valid form',
      ],
      ['company too long', { name: 'a', company: 'c'.repeat(201) }, 'company', undefined],
      ['notes too long', { name: 'a', notes: 'n'.repeat(2001) }, 'notes', undefined],
      [
        'an unknown field (refused, not dropped)',
        { name: 'a', owner_sub: 'bob' },
        'owner_sub',
        'is not a known field',
      ],
      ['an id (server-assigned)', { name: 'a', id: 'mine' }, 'id', 'is not a known field'],
    ])('refuses %s: 400 naming the field', async (_name, body, field, message) => {
      const before = await count();
      const answer = await create(body);
      expect(answer.status).toBe(400);
      expect(answer.challenge).toBeNull();
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(answer.body).toMatchObject({ type: 'about:blank', title: 'Bad Request', status: 400 });
      const error = answer.body.errors?.find((e) => e.field === field);
      expect(error, JSON.stringify(answer.body.errors)).toBeDefined();
      if (message) expect(error?.message).toBe(message);
      expect(answer.body.detail).toContain(field);
      expect(await count()).toBe(before);
    });

    it('refuses U+0000 in any text (PostgreSQL cannot store it) with 400 naming the field', async () => {
      const answer = await create({
        name: 'Ada',
        notes: 'a\u0000b',
        emails: ['a\u0000@x.example'],
      });
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([
        { field: 'notes', rule: 'no-nul', message: 'must not contain U+0000' },
        { field: 'emails.0', rule: 'no-nul', message: 'must not contain U+0000' },
      ]);
    });

    it('refuses U+0000 in a path, query or cursor with 400 too', async () => {
      const cursor = Buffer.from(JSON.stringify(['a\u0000', 'b'])).toString('base64url');
      for (const path of ['/contacts/a%00b', '/contacts?q=a%00b', `/contacts?cursor=${cursor}`]) {
        expect((await h.call(path, { token: read })).status, path).toBe(400);
      }
    });

    it('refuses a body over 16 KiB with 413', async () => {
      const answer = await create({ name: 'a', notes: 'n'.repeat(17 * 1024) });
      expect(answer.status).toBe(413);
      expect(answer.body).toMatchObject({ status: 413, title: 'Content Too Large' });
    });

    it('refuses a body that is not JSON (415) or not valid JSON (400), without echoing it', async () => {
      const form = await create('name=a', { headers: { 'content-type': 'text/plain' } });
      expect(form.status).toBe(415);
      const broken = await create('{"name": "secret-value"', {});
      expect(broken.status).toBe(400);
      expect(JSON.stringify(broken.body)).not.toContain('secret-value');
    });
  });

  describe('Idempotency-Key', () => {
    it('same key, same body: the first answer again, and one contact only', async () => {
      const before = await count();
      const headers = { 'idempotency-key': 'key-1' };
      const first = await create({ name: 'Once', emails: ['o@x.example'] }, { headers });
      const second = await create({ emails: ['o@x.example'], name: 'Once' }, { headers });
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
      expect(second.headers.get('location')).toBe(first.headers.get('location'));
      expect(second.headers.get('etag')).toBe('"v1"');
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(await count()).toBe(before + 1);
    });

    it('two instances, one key, at once: both 201 with the same body, one contact', async () => {
      const other = await h.startWorker({ port: 0 }); // another worker, or replica on PostgreSQL
      const before = await count();
      const headers = { 'idempotency-key': 'raced-key' };
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          create({ name: 'Raced' }, { headers, via: i % 2 === 0 ? h.api : other }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(6).fill(201));
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
      expect(answers.filter((a) => a.headers.get('idempotent-replayed') === null)).toHaveLength(1);
      expect(await count()).toBe(before + 1);
    });

    it('same key, another body: 422, nothing created', async () => {
      const headers = { 'idempotency-key': 'key-2' };
      await create({ name: 'First' }, { headers });
      const before = await count();
      const answer = await create({ name: 'Second' }, { headers });
      expect(answer.status).toBe(422);
      expect(answer.body.errors?.[0]?.field).toBe('Idempotency-Key');
      expect(await count()).toBe(before);
    });

    it('keys are per user: the same key from someone else creates their own contact', async () => {
      const other = await h.mint('other', { claims: { scope: 'contacts:read contacts:write' } });
      const headers = { 'idempotency-key': 'shared-key' };
      const mine = await create({ name: 'Mine' }, { headers });
      const theirs = await create({ name: 'Mine' }, { headers, token: other });
      expect(theirs.status).toBe(201);
      expect(theirs.body.id).not.toBe(mine.body.id);
    });

    it('keys expire after 24 hours', async () => {
      const headers = { 'idempotency-key': 'key-old' };
      const first = await create({ name: 'Old' }, { headers });
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 25 * 3600_000 });
      try {
        const token = await h.mint('writer', { claims: { scope: 'contacts:write' } });
        const later = await create({ name: 'Old' }, { headers, token });
        expect(later.status).toBe(201);
        expect(later.body.id).not.toBe(first.body.id);
      } finally {
        vi.useRealTimers();
      }
    });

    it('refuses a malformed key with 400', async () => {
      const answer = await create({ name: 'a' }, { headers: { 'idempotency-key': 'a,b' } });
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.[0]?.field).toBe('Idempotency-Key');
    });
  });

  describe('PUT and DELETE with If-Match', () => {
    async function fresh() {
      const answer = await create({ name: 'Edit me', company: 'Old Co' });
      return `/contacts/${answer.body.id}`;
    }
    const put = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      h.call(path, { method: 'PUT', token: write, body, headers });
    const del = (path: string, headers: Record<string, string> = {}) =>
      h.call(path, { method: 'DELETE', token: write, headers });

    it('replaces the whole contact and bumps the ETag', async () => {
      const path = await fresh();
      const answer = await put(
        path,
        { name: 'Edited', emails: ['e@x.example'] },
        { 'if-match': '"v1"' },
      );
      expect(answer.status).toBe(200);
      expect(answer.headers.get('etag')).toBe('"v2"');
      expect(answer.body).toMatchObject({ name: 'Edited', company: null, version: 2 });
    });

    it.each([
      ['missing', {}],
      ['*', { 'if-match': '*' }],
    ])('If-Match %s → 428 explaining what to send', async (_name, headers) => {
      const path = await fresh();
      for (const answer of [await put(path, { name: 'x' }, headers), await del(path, headers)]) {
        expect(answer.status).toBe(428);
        expect(answer.body).toMatchObject({ status: 428, title: 'Precondition Required' });
        expect(answer.body.detail).toMatch(/If-Match/);
      }
    });

    it('two tabs: the second write based on a stale version gets 412 and changes nothing', async () => {
      const path = await fresh();
      expect((await put(path, { name: 'Tab A' }, { 'if-match': '"v1"' })).status).toBe(200);
      const tabB = await put(path, { name: 'Tab B' }, { 'if-match': '"v1"' });
      expect(tabB.status).toBe(412);
      expect(tabB.headers.get('etag')).toBe('"v2"');
      expect(tabB.body).toMatchObject({ status: 412, title: 'Precondition Failed' });
      expect(tabB.body.detail).toMatch(/changed since you read it/);
      expect((await del(path, { 'if-match': '"v1"' })).status).toBe(412);
      expect((await del(path, { 'if-match': 'W/"v2"' })).status).toBe(412); // weak never matches
      expect((await h.call(path, { token: read })).body.name).toBe('Tab A');
    });

    it('two instances, one ETag, at once: exactly one PUT wins, the others get 412', async () => {
      const other = await h.startWorker({ port: 0 });
      const path = await fresh();
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          h.call(path, {
            method: 'PUT',
            token: write,
            body: { name: `Writer ${i}` },
            headers: { 'if-match': '"v1"' },
            via: i % 2 === 0 ? h.api : other,
          }),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([200, 412, 412, 412, 412, 412]);
      const winner = answers.find((a) => a.status === 200);
      const stored = await h.call(path, { token: read });
      expect(stored.body).toEqual(winner?.body);
      expect(stored.headers.get('etag')).toBe('"v2"');
    });

    it('validates the PUT body like a create (unknown fields refused)', async () => {
      const path = await fresh();
      const answer = await put(path, { name: 'x', version: 7 }, { 'if-match': '"v1"' });
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([
        { field: 'version', rule: 'unknown-field', message: 'is not a known field' },
      ]);
    });

    it('deletes with the current ETag: 204, then 404', async () => {
      const path = await fresh();
      const answer = await del(path, { 'if-match': '"v0", "v1"' });
      expect(answer.status).toBe(204);
      expect((await h.call(path, { token: read })).status).toBe(404);
      expect((await del(path, { 'if-match': '"v1"' })).status).toBe(404);
    });
  });
});
