// The per-user page cache and list ETags over real HTTP: two API instances on one database
// stand for two workers or replicas (each its own connection or pool, and its own cache).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApi } from './server.ts';
import { engines, useTestDatabase } from './store/test-databases.ts';
import { type Harness, startHarness } from './test-harness.ts';

describe.each(engines)('on %s', (engine) => {
  const db = useTestDatabase(engine);

  let h: Harness;
  let other: RunningApi;
  let read: string;
  let write: string;

  beforeAll(async () => {
    // Workers and replicas share the secret that keys the list ETags (list-etag.ts).
    h = await startHarness({ ...db.settings, dpopNonceSecret: 'shared by every replica' });
    other = await h.startWorker({ port: 0 });
    read = await h.mint('alice', { claims: { scope: 'contacts:read' } });
    write = await h.mint('alice', { claims: { scope: 'contacts:read contacts:write' } });
    for (const name of ['Ada', 'Bea', 'Cy']) {
      await h.call('/contacts', { method: 'POST', token: write, body: { name } });
    }
  });
  afterAll(() => h.close());

  const names = (answer: { body: { items?: { name: string }[] } }) =>
    answer.body.items?.map((c) => c.name);

  describe('list pages are cached per user and never stale', () => {
    it('a write in one worker is seen by the next read in the other, for every kind of write', async () => {
      const list = () => h.call('/contacts?limit=50', { token: read });
      expect(names(await list())).toEqual(['Ada', 'Bea', 'Cy']);
      expect(names(await list())).toEqual(['Ada', 'Bea', 'Cy']); // now served from the cache

      const created = await h.call('/contacts', {
        method: 'POST',
        token: write,
        body: { name: 'Dee' },
        via: other,
      });
      expect(created.status).toBe(201);
      expect(names(await list())).toEqual(['Ada', 'Bea', 'Cy', 'Dee']);

      const renamed = await h.call(`/contacts/${created.body.id}`, {
        method: 'PUT',
        token: write,
        body: { name: 'Aaron' },
        headers: { 'if-match': created.headers.get('etag') ?? '' },
        via: other,
      });
      expect(renamed.status).toBe(200);
      expect(names(await list())).toEqual(['Aaron', 'Ada', 'Bea', 'Cy']);

      const deleted = await h.call(`/contacts/${created.body.id}`, {
        method: 'DELETE',
        token: write,
        headers: { 'if-match': renamed.headers.get('etag') ?? '' },
        via: other,
      });
      expect(deleted.status).toBe(204);
      expect(names(await list())).toEqual(['Ada', 'Bea', 'Cy']);
    });

    it('a search page is as fresh as a list page', async () => {
      const search = () => h.call('/contacts?q=be', { token: read, via: other });
      expect(names(await search())).toEqual(['Bea']);
      await h.call('/contacts', { method: 'POST', token: write, body: { name: 'Ben' } });
      expect(names(await search())).toEqual(['Bea', 'Ben']);
    });

    it('two users asking the same URL each get their own page, also across issuers', async () => {
      const bob = await h.mint('bob', { claims: { scope: 'contacts:read contacts:write' } });
      // The same subject at another trusted issuer is another user.
      const twin = await h.mint(
        'alice',
        { claims: { scope: 'contacts:read contacts:write' } },
        h.other,
      );
      await h.call('/contacts', { method: 'POST', token: bob, body: { name: 'Bob’s friend' } });
      await h.call('/contacts', { method: 'POST', token: twin, body: { name: 'Twin’s friend' } });
      for (let round = 0; round < 2; round += 1) {
        for (const via of [h.api, other]) {
          const mine = await h.call('/contacts?limit=50', { token: read, via });
          const bobs = await h.call('/contacts?limit=50', { token: bob, via });
          const twins = await h.call('/contacts?limit=50', { token: twin, via });
          expect(names(mine)).not.toContain('Bob’s friend');
          expect(names(bobs)).toEqual(['Bob’s friend']);
          expect(names(twins)).toEqual(['Twin’s friend']);
          // Nor does one user's tag stand for another's page.
          expect(new Set([mine, bobs, twins].map((a) => a.headers.get('etag'))).size).toBe(3);
          const withAlicesTag = await h.call('/contacts?limit=50', {
            token: bob,
            headers: { 'if-none-match': mine.headers.get('etag') ?? '' },
            via,
          });
          expect(withAlicesTag.status).toBe(200);
          expect(names(withAlicesTag)).toEqual(['Bob’s friend']);
        }
      }
    });

    it('a user with no contacts gets an empty page', async () => {
      const nobody = await h.mint('carol');
      const answer = await h.call('/contacts?q=a', { token: nobody });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ items: [], nextCursor: null });
    });
  });

  describe('conditional GET on lists', () => {
    it('answers 304 while nothing changed, in any worker, and 200 with a new tag after a write', async () => {
      const first = await h.call('/contacts?limit=2', { token: read });
      const etag = first.headers.get('etag') ?? '';
      // The owner by an HMAC, not the database's sequential owner number.
      expect(etag).toMatch(/^"p[A-Za-z0-9_-]{22}\.\d+"$/);
      for (const via of [h.api, other]) {
        const again = await h.call('/contacts?limit=2', {
          token: read,
          headers: { 'if-none-match': etag },
          via,
        });
        expect(again.status).toBe(304);
        expect(again.headers.get('etag')).toBe(etag);
        expect(again.body).toEqual({});
      }
      // Another secret, another tag: a full answer, never a wrong 304.
      const stranger = await h.startWorker({ port: 0, dpopNonceSecret: 'another secret' });
      const elsewhere = await h.call('/contacts?limit=2', {
        token: read,
        headers: { 'if-none-match': etag },
        via: stranger,
      });
      expect(elsewhere.status).toBe(200);
      await h.call('/contacts', { method: 'POST', token: write, body: { name: 'Abe' } });
      const changed = await h.call('/contacts?limit=2', {
        token: read,
        headers: { 'if-none-match': `W/${etag}` },
        via: other,
      });
      expect(changed.status).toBe(200);
      expect(changed.headers.get('etag')).not.toBe(etag);
      expect(names(changed)).toEqual(['Abe', 'Ada']);
    });

    it('still checks the token and the query before answering 304', async () => {
      const first = await h.call('/contacts', { token: read });
      const etag = first.headers.get('etag') ?? '';
      const noToken = await h.call('/contacts', { headers: { 'if-none-match': etag } });
      expect(noToken.status).toBe(401);
      const badCursor = await h.call('/contacts?cursor=nope', {
        token: read,
        headers: { 'if-none-match': etag },
      });
      expect(badCursor.status).toBe(400);
      expect(badCursor.body.errors).toEqual([
        { field: 'query.cursor', message: 'is not a cursor this API gave out' },
      ]);
    });
  });

  describe('the cache stays within its byte bound', () => {
    it('evicts the least recently used pages and keeps answering correctly', async () => {
      const small = await h.startWorker({ port: 0, pageCacheBytes: 4_000 });
      const queries = ['a', 'b', 'c', 'd', 'ada', 'bea', 'cy', 'abe', 'ben'];
      for (const q of queries) {
        const answer = await h.call(`/contacts?q=${q}`, { token: read, via: small });
        const direct = await h.call(`/contacts?q=${q}`, { token: read, via: other });
        expect(answer.body).toEqual(direct.body);
        expect(small.pageCache.bytes).toBeLessThanOrEqual(4_000);
      }
      expect(small.pageCache.size).toBeGreaterThan(0);
      expect(small.pageCache.size).toBeLessThan(queries.length);
    });
  });
});
