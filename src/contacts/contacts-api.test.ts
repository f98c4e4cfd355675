import { describe, expect, it, vi } from 'vitest';
import { makeContact } from '../test/contact-fixture.ts';
import { createContact, listContacts, listContactsPage } from './contacts-api.ts';
import { ContactsApiError } from './contacts-api-error.ts';

const ada = makeContact('1', 'Ada Lovelace', { emails: ['ada@example.test'] });
const page = (items: unknown[], nextCursor: string | null = null) => ({ items, nextCursor });

function apiAnswering(response: Response | Error | DOMException) {
  const fetch = vi.fn(async (_url: string, _init?: RequestInit) => {
    if (!(response instanceof Response)) throw response;
    return response;
  });
  return { api: { fetch, baseUrl: 'https://api.example/v1' }, fetch };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });

async function errorOf(promise: Promise<unknown>): Promise<ContactsApiError> {
  const error = await promise.catch((reason: unknown) => reason);
  expect(error).toBeInstanceOf(ContactsApiError);
  return error as ContactsApiError;
}

describe('listContacts', () => {
  it('calls GET <baseUrl>/contacts through the fetch it is given and returns the items', async () => {
    const { api, fetch } = apiAnswering(json(page([ada])));
    await expect(listContacts(api)).resolves.toEqual([ada]);
    expect(fetch).toHaveBeenCalledOnce();
    expect(fetch.mock.calls[0]?.[0]).toBe('https://api.example/v1/contacts?limit=200');
  });

  it('follows nextCursor until the last page', async () => {
    const bob = { ...ada, id: '2', name: 'Bob' };
    const fetch = vi
      .fn(async (_url: string, _init?: RequestInit) => json(page([ada], 'next/1')))
      .mockImplementationOnce(async () => json(page([ada], 'c+1')))
      .mockImplementationOnce(async () => json(page([bob])));
    const api = { fetch, baseUrl: 'https://api.example' };
    await expect(listContacts(api)).resolves.toEqual([ada, bob]);
    expect(fetch.mock.calls[1]?.[0]).toBe('https://api.example/contacts?limit=200&cursor=c%2B1');
  });

  it('asks for one page with a search', async () => {
    const { api, fetch } = apiAnswering(json(page([ada], 'abc')));
    await expect(listContactsPage(api, { q: 'zoë m', limit: 20 })).resolves.toEqual({
      ...page([ada], 'abc'),
      etag: null,
    });
    expect(fetch.mock.calls[0]?.[0]).toBe('https://api.example/v1/contacts?q=zo%C3%AB+m&limit=20');
  });

  it.each([
    [401, 'Bearer realm="contacts"', 'unauthenticated'],
    [401, 'Bearer realm="contacts", error="invalid_token"', 'invalid_token'],
    [403, 'Bearer error="insufficient_scope", scope="contacts:read"', 'insufficient_scope'],
    [404, '', 'not_found'],
    [500, '', 'server'],
    [503, '', 'server'],
    [400, '', 'bad_response'],
  ])('turns %i %s into %s', async (status, challenge, code) => {
    const headers: Record<string, string> = challenge ? { 'WWW-Authenticate': challenge } : {};
    const { api } = apiAnswering(json({ title: 'x' }, status, headers));
    const error = await errorOf(listContacts(api));
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
  });

  it('reports the scope an insufficient_scope answer asks for', async () => {
    const { api } = apiAnswering(
      json({}, 403, {
        'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="contacts:read"',
      }),
    );
    expect((await errorOf(listContacts(api))).requiredScope).toBe('contacts:read');
  });

  it('reports an unreachable service as a network error', async () => {
    const { api } = apiAnswering(new TypeError('Failed to fetch'));
    expect((await errorOf(listContacts(api))).code).toBe('network');
  });

  it.each([
    ['not JSON', new Response('<html>', { status: 200 })],
    ['no items', json({ contacts: [] })],
    ['an item without a name', json(page([{ ...ada, name: 7 }]))],
    ['an item with a non-string email', json(page([{ ...ada, emails: [{}] }]))],
    ['a numeric cursor', json(page([ada], 5 as unknown as string))],
  ])('refuses a malformed answer (%s)', async (_name, response) => {
    const { api } = apiAnswering(response);
    expect((await errorOf(listContacts(api))).code).toBe('bad_response');
  });

  it('lets an abort through untouched', async () => {
    const { api } = apiAnswering(new DOMException('aborted', 'AbortError'));
    await expect(listContacts(api)).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('createContact', () => {
  it('POSTs the input with the Idempotency-Key it is given, so a retry never makes two', async () => {
    const { api, fetch } = apiAnswering(json(ada, 201));
    const input = { name: 'Ada Lovelace', emails: ['ada@example.test'] };
    await expect(createContact(api, input, 'new-3f2c')).resolves.toEqual(ada);
    const [url, init] = fetch.mock.calls[0] ?? [];
    expect(url).toBe('https://api.example/v1/contacts');
    expect(init?.method).toBe('POST');
    expect(new Headers(init?.headers).get('Idempotency-Key')).toBe('new-3f2c');
    expect(JSON.parse(String(init?.body))).toEqual(input);
  });
});

describe('a 429 from the API', () => {
  it('is waited out for Retry-After, the same request sent again, and the user told', async () => {
    vi.useFakeTimers();
    try {
      const fetch = vi
        .fn(async (_url: string, _init?: RequestInit) => json(ada, 201))
        .mockImplementationOnce(async () => json({ status: 429 }, 429, { 'Retry-After': '3' }));
      const told: number[] = [];
      const api = {
        fetch,
        baseUrl: 'https://api.example',
        onSlowDown: (s: number) => told.push(s),
      };
      const created = createContact(api, { name: 'Ada Lovelace' }, 'key-1');
      await vi.advanceTimersByTimeAsync(2_900);
      expect(fetch).toHaveBeenCalledOnce(); // still waiting, as asked
      expect(told).toEqual([3]);
      await vi.advanceTimersByTimeAsync(200);
      await expect(created).resolves.toEqual(ada);
      expect(told).toEqual([3, 0]);
      // The very same request: body and Idempotency-Key unchanged, so no input is lost.
      const [first, second] = fetch.mock.calls.map((call) => call[1]);
      expect(second?.body).toBe(first?.body);
      expect(new Headers(second?.headers).get('Idempotency-Key')).toBe('key-1');
    } finally {
      vi.useRealTimers();
    }
  });

  it('gives up with rate_limited after two waits, or at once for a wait over a minute', async () => {
    vi.useFakeTimers();
    try {
      const limited = () => json({ status: 429 }, 429, { 'Retry-After': '1' });
      const { api, fetch } = apiAnswering(limited());
      fetch.mockImplementation(async () => limited());
      const failed = errorOf(listContacts(api));
      await vi.advanceTimersByTimeAsync(2_100);
      expect((await failed).code).toBe('rate_limited');
      expect(fetch).toHaveBeenCalledTimes(3);
      const long = apiAnswering(json({}, 429, { 'Retry-After': '3600' }));
      expect((await errorOf(listContacts(long.api))).code).toBe('rate_limited');
      expect(long.fetch).toHaveBeenCalledOnce();
    } finally {
      vi.useRealTimers();
    }
  });
});
