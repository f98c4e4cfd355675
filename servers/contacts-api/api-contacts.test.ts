// Reading contacts over real HTTP: pages, search, one contact, ownership (case 56).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, useTestDatabase } from './store/test-databases.ts';
import { type Harness, startHarness } from './test-harness.ts';

describe.each(engines)('on %s', (engine) => {
  const db = useTestDatabase(engine);

  let h: Harness;
  let read: string;
  let aliceOwner: { iss: string; sub: string };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    h = await startHarness(db.settings);
    aliceOwner = { iss: h.issuer.issuer, sub: 'alice' };
    for (const input of [
      { name: 'Zoë Ødegård', emails: ['zoe@fjord.example'], company: 'Fjord & Co' },
      { name: 'Hans Müller', phones: ['+49 30 1234 5678'] },
      { name: 'Émile Zola', company: 'Éditions Charpentier' },
      { name: 'ada lovelace', emails: ['ada@analytical.example'] },
      { name: 'Zed', company: 'Acme' },
    ]) {
      ids[input.name] = (await h.api.store.createContact(aliceOwner, input)).id;
    }
    ids.bobs = (
      await h.api.store.createContact(
        { iss: h.issuer.issuer, sub: 'bob' },
        { name: 'Bob’s secret' },
      )
    ).id;
    read = await h.mint('alice');
  });
  afterAll(() => h.close());

  const names = async (query: string) =>
    (await h.call(`/contacts${query}`, { token: read })).body.items?.map((c) => c.name);

  describe('GET /contacts', () => {
    it('answers a page envelope, sorted by name ignoring case and accents', async () => {
      const answer = await h.call('/contacts', { token: read });
      expect(answer.status).toBe(200);
      expect(answer.body.nextCursor).toBeNull();
      expect(answer.body.items?.map((c) => c.name)).toEqual([
        'ada lovelace',
        'Émile Zola',
        'Hans Müller',
        'Zed',
        'Zoë Ødegård',
      ]);
      expect(Object.keys(answer.body.items?.[0] ?? {}).sort()).toEqual([
        'company',
        'createdAt',
        'emails',
        'id',
        'name',
        'notes',
        'phones',
        'updatedAt',
        'version',
      ]);
    });

    it.each([
      ['zoe', ['Zoë Ødegård']],
      ['ZOË', ['Zoë Ødegård']],
      ['muller', ['Hans Müller']],
      ['müll', ['Hans Müller']],
      ['emile', ['Émile Zola']],
      ['editions', ['Émile Zola']],
      ['fjord', ['Zoë Ødegård']],
      ['ada@analytical', ['ada lovelace']],
      ['+4930', ['Hans Müller']],
      ['1234 5678', ['Hans Müller']],
      ['z', ['Émile Zola', 'Zed', 'Zoë Ødegård']],
      ['zo', ['Émile Zola', 'Zoë Ødegård']],
      ['ada lov', ['ada lovelace']],
      ['ller', []],
      ['secret', []], // Bob's rows never match Alice's search
    ])('search q=%s', async (q, expected) => {
      expect(await names(`?q=${encodeURIComponent(q)}`)).toEqual(expected);
    });

    it('pages with an opaque cursor: every row once, in order, then null', async () => {
      const owner = { iss: h.issuer.issuer, sub: 'pager' };
      // Awaited: on PostgreSQL an unawaited create may land after the pages were read.
      for (let i = 0; i < 120; i += 1)
        await h.api.store.createContact(owner, { name: `P ${String(i).padStart(3, '0')}` });
      const token = await h.mint('pager');
      const seen: string[] = [];
      let cursor: string | null | undefined;
      let pages = 0;
      do {
        const query = cursor ? `?limit=50&cursor=${encodeURIComponent(cursor)}` : '?limit=50';
        const answer = await h.call(`/contacts${query}`, { token });
        expect(answer.status).toBe(200);
        seen.push(...(answer.body.items ?? []).map((c) => c.name));
        cursor = answer.body.nextCursor;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual([...seen].sort());
      expect(new Set(seen).size).toBe(120);
      const firstPage = await h.call('/contacts', { token });
      expect(firstPage.body.items).toHaveLength(50); // the default page size
    });

    it.each([
      ['?limit=0', 'query.limit'],
      ['?limit=201', 'query.limit'],
      ['?limit=abc', 'query.limit'],
      ['?limit=1.5', 'query.limit'],
      ['?cursor=not-a-cursor', 'query.cursor'],
      ['?sort=name', 'query.sort'],
      ['?q=a+b+c+d+e+f+g+h+i', 'query.q'],
      ['?limit=0x10', 'query.limit'],
      ['?limit=5&limit=6', 'query.limit'],
      [`?q=${'a'.repeat(201)}`, 'query.q'],
    ])('refuses %s with 400 naming %s', async (query, field) => {
      const answer = await h.call(`/contacts${query}`, { token: read });
      expect(answer.status).toBe(400);
      expect(answer.challenge).toBeNull();
      expect(answer.body).toMatchObject({ type: 'about:blank', title: 'Bad Request', status: 400 });
      expect(answer.body.errors?.map((e) => e.field)).toContain(field);
    });
  });

  describe('GET /contacts/:id', () => {
    it('answers the contact with a strong ETag from its version, and 304 when unchanged', async () => {
      const answer = await h.call(`/contacts/${ids.Zed}`, { token: read });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('etag')).toBe('"v1"');
      expect(answer.body).toMatchObject({ id: ids.Zed, name: 'Zed', company: 'Acme', version: 1 });
      const again = await h.call(`/contacts/${ids.Zed}`, {
        token: read,
        headers: { 'if-none-match': '"v1"' },
      });
      expect(again.status).toBe(304);
    });

    it("56: another user's contact is 404, exactly like a missing one", async () => {
      const theirs = await h.call(`/contacts/${ids.bobs}`, { token: read });
      const missing = await h.call('/contacts/00000000-0000-0000-0000-000000000000', {
        token: read,
      });
      expect(theirs.status).toBe(404);
      expect(theirs.challenge).toBeNull();
      expect(theirs.body).toEqual({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: 'There is no such contact.',
      });
      expect(missing.body).toEqual(theirs.body);
      expect([...theirs.headers.keys()].sort()).toEqual([...missing.headers.keys()].sort());
    });

    it("56: another user's contact cannot be changed or deleted either (404)", async () => {
      const write = await h.mint('alice', { claims: { scope: 'contacts:read contacts:write' } });
      const headers = { 'if-match': '"v1"' };
      const put = await h.call(`/contacts/${ids.bobs}`, {
        method: 'PUT',
        token: write,
        headers,
        body: { name: 'Mine now' },
      });
      const del = await h.call(`/contacts/${ids.bobs}`, {
        method: 'DELETE',
        token: write,
        headers,
      });
      expect([put.status, del.status]).toEqual([404, 404]);
      const bobs = await h.api.store.getContact(
        { iss: h.issuer.issuer, sub: 'bob' },
        ids.bobs ?? '',
      );
      expect(bobs?.name).toBe('Bob’s secret');
    });
  });
});
