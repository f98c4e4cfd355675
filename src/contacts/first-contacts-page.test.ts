import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeContact } from '../test/contact-fixture.ts';
import {
  FIRST_PAGE_SIZE,
  firstContactsPage,
  showsContactList,
  startFirstContactsPage,
} from './first-contacts-page.ts';

const page = (name: string) => ({ items: [makeContact(name, name)], nextCursor: null });
/** As the loader gets it: the list's ETag beside (none in these answers). */
const tagged = (name: string) => ({ ...page(name), etag: null });

function apiAnswering(...bodies: (string | number)[]) {
  const fetch = vi.fn(async (_url: string, _init?: RequestInit) => {
    const next = bodies.shift() ?? 'late';
    if (typeof next === 'number') return new Response('{}', { status: next });
    return new Response(JSON.stringify(page(next)), {
      headers: { 'Content-Type': 'application/json' },
    });
  });
  return { api: { fetch, baseUrl: 'https://api.example/v1' }, fetch };
}

const ADA = 'https://idp.example ada';
const BOB = 'https://idp.example bob';
const signal = () => new AbortController().signal;

afterEach(() => {
  // Nothing early is left for the next test.
  void firstContactsPage(apiAnswering('drain').api, 'nobody', signal()).catch(() => undefined);
});

describe('showsContactList', () => {
  it.each([
    ['/contacts', true],
    ['/contacts?q=ada', true],
    ['/contacts/42', true],
    ['/contacts/new', true],
    ['/contacts/42/edit#notes', true],
    ['/', false],
    ['/account', false],
    ['/contactsx', false],
    ['/callback', false],
  ])('%s → %s', (returnTo, expected) => {
    expect(showsContactList(returnTo)).toBe(expected);
  });
});

describe('the early first page', () => {
  it('is requested once, with the first page size, and taken by the loader', async () => {
    const { api, fetch } = apiAnswering('early', 'second');
    startFirstContactsPage(api, ADA);
    await expect(firstContactsPage(api, ADA, signal())).resolves.toEqual(tagged('early'));
    expect(fetch).toHaveBeenCalledOnce();
    expect(fetch.mock.calls[0]?.[0]).toBe(
      `https://api.example/v1/contacts?limit=${FIRST_PAGE_SIZE}`,
    );
  });

  it('is taken only once: the next load asks the API again', async () => {
    const { api, fetch } = apiAnswering('early', 'again');
    startFirstContactsPage(api, ADA);
    await firstContactsPage(api, ADA, signal());
    await expect(firstContactsPage(api, ADA, signal())).resolves.toEqual(tagged('again'));
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('is never given to another owner, and is dropped for them', async () => {
    const { api, fetch } = apiAnswering('ada', 'bob', 'ada again');
    startFirstContactsPage(api, ADA);
    await expect(firstContactsPage(api, BOB, signal())).resolves.toEqual(tagged('bob'));
    await expect(firstContactsPage(api, ADA, signal())).resolves.toEqual(tagged('ada again'));
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it('is not used once it is older than 10 s', async () => {
    const { api, fetch } = apiAnswering('old', 'fresh');
    startFirstContactsPage(api, ADA, 1_000);
    await expect(firstContactsPage(api, ADA, signal(), 11_001)).resolves.toEqual(tagged('fresh'));
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('is used up to 10 s old', async () => {
    const { api } = apiAnswering('early', 'fresh');
    startFirstContactsPage(api, ADA, 1_000);
    await expect(firstContactsPage(api, ADA, signal(), 11_000)).resolves.toEqual(tagged('early'));
  });

  it('that failed is asked again once, with the navigation signal', async () => {
    const { api, fetch } = apiAnswering(503, 'retry');
    startFirstContactsPage(api, ADA);
    const navigation = signal();
    await expect(firstContactsPage(api, ADA, navigation)).resolves.toEqual(tagged('retry'));
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(fetch.mock.calls[1]?.[1]?.signal).toBe(navigation);
  });

  it('that failed and fails again reports the second failure', async () => {
    const { api } = apiAnswering(503, 500);
    startFirstContactsPage(api, ADA);
    await expect(firstContactsPage(api, ADA, signal())).rejects.toThrow();
  });

  it('without one, the loader asks with its own signal', async () => {
    const { api, fetch } = apiAnswering('plain');
    const navigation = signal();
    await expect(firstContactsPage(api, ADA, navigation)).resolves.toEqual(tagged('plain'));
    expect(fetch.mock.calls[0]?.[1]?.signal).toBe(navigation);
  });
});
