// A refresh costs a 304 while nothing changed, and replaces only what changed when it did.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { makeContact } from '../test/contact-fixture.ts';
import {
  cacheContacts,
  cachedContacts,
  cacheEntry,
  forgetContacts,
  noteContactsLoading,
} from './contact-cache.ts';
import { refreshContacts } from './contacts-refresh.ts';

const owner = 'https://idp.example ada';
const ada = makeContact('a', 'Ada Lovelace');
const grace = makeContact('g', 'Grace Hopper');

function apiAnswering(...responses: Response[]) {
  const fetch = vi.fn(async (_url: string, _init?: RequestInit) => {
    const next = responses.shift();
    if (!next) throw new Error('no more answers');
    return next;
  });
  return { fetch, baseUrl: 'https://api.example' };
}
const headersOf = (api: ReturnType<typeof apiAnswering>, call: number) =>
  new Headers(api.fetch.mock.calls[call]?.[1]?.headers);
const pageOf = (items: unknown[], nextCursor: string | null, etag: string) =>
  new Response(JSON.stringify({ items, nextCursor }), {
    headers: { 'Content-Type': 'application/json', ETag: etag },
  });

describe('refreshContacts', () => {
  beforeEach(() => {
    forgetContacts();
    cacheContacts(owner, [ada, grace], '"p.1"');
  });

  it('asks with If-None-Match; a 304 changes nothing and parses nothing', async () => {
    const notModified = new Response(null, { status: 304 });
    const json = vi.spyOn(notModified, 'json');
    const before = cachedContacts(owner);
    const api = apiAnswering(notModified);
    await expect(refreshContacts(api, owner)).resolves.toBe('unchanged');
    expect(headersOf(api, 0).get('If-None-Match')).toBe('"p.1"');
    expect(json).not.toHaveBeenCalled();
    expect(cachedContacts(owner)).toBe(before);
  });

  it('reads every page of a changed list and merges it, keeping unchanged objects', async () => {
    const edited = { ...grace, company: 'US Navy', version: 2 };
    const bob = makeContact('b', 'Bob Kahn');
    const api = apiAnswering(pageOf([ada, bob], 'c1', '"p.3"'), pageOf([edited], null, '"p.3"'));
    await expect(refreshContacts(api, owner)).resolves.toBe('changed');
    const list = cachedContacts(owner) ?? [];
    expect(list.map((c) => c.name)).toEqual(['Ada Lovelace', 'Bob Kahn', 'Grace Hopper']);
    expect(list[0]).toBe(ada);
    expect(list[2]?.company).toBe('US Navy');
    expect(cacheEntry(owner)?.etag).toBe('"p.3"');
    expect(headersOf(api, 1).get('If-None-Match')).toBeNull(); // the rest: plain reads
  });

  it('sends no request before the whole list is here (it is still streaming in)', async () => {
    forgetContacts();
    const api = apiAnswering();
    await expect(refreshContacts(api, owner)).resolves.toBe('not-loaded');
    expect(api.fetch).not.toHaveBeenCalled();
  });

  it('waits for a list still streaming in, then asks whether it changed since its first page', async () => {
    forgetContacts();
    let streamed = () => {};
    const stream = new Promise<void>((resolve) => {
      streamed = () => {
        cacheContacts(owner, [ada], '"p.1"'); // read before the change the caller knows of
        resolve();
      };
    });
    noteContactsLoading(owner, stream);
    const api = apiAnswering(pageOf([ada, grace], null, '"p.2"'));
    const outcome = refreshContacts(api, owner);
    await Promise.resolve();
    expect(api.fetch).not.toHaveBeenCalled();
    streamed();
    await expect(outcome).resolves.toBe('changed');
    expect(headersOf(api, 0).get('If-None-Match')).toBe('"p.1"');
    expect(cachedContacts(owner)).toHaveLength(2);
  });

  it('a stream that failed leaves nothing to refresh', async () => {
    forgetContacts();
    noteContactsLoading(owner, Promise.reject(new Error('offline')));
    const api = apiAnswering();
    await expect(refreshContacts(api, owner)).resolves.toBe('not-loaded');
    expect(api.fetch).not.toHaveBeenCalled();
  });

  it('without a known ETag, asks plainly and takes the answer', async () => {
    cacheContacts(owner, [ada], null);
    const api = apiAnswering(pageOf([ada, grace], null, '"p.2"'));
    await expect(refreshContacts(api, owner)).resolves.toBe('changed');
    expect(headersOf(api, 0).has('If-None-Match')).toBe(false);
    expect(cachedContacts(owner)).toHaveLength(2);
  });
});
