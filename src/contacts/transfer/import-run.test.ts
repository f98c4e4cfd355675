// The import's conversation with POST /contacts/batch, against a fake API at the network
// boundary: batches of 100 with one Idempotency-Key each (kept on a retry), a 429 shown as a
// pause and waited out, a full quota reported as a stop with what got in, cancel between
// batches only.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Candidate } from './candidate.ts';
import { candidateOf } from './candidate.ts';
import { type ImportReport, runImport } from './import-run.ts';

const candidates = (n: number): Candidate[] =>
  Array.from({ length: n }, (_, i) => candidateOf(`line ${i + 2}`, { name: `Person ${i}` }));
const ok = (items: unknown[]) =>
  new Response(
    JSON.stringify({
      results: items.map(() => ({ status: 'created', contact: {} })),
      created: items.length,
      duplicates: 0,
      invalid: 0,
    }),
    { status: 200 },
  );

interface Sent {
  key: string;
  items: unknown[];
}

function fakeApi(answer: (sent: Sent, n: number) => Response) {
  const sent: Sent[] = [];
  const fetch = vi.fn(async (_url: string, init?: RequestInit) => {
    const headers = init?.headers as Record<string, string>;
    const { items } = JSON.parse(String(init?.body)) as { items: unknown[] };
    const one = { key: headers['Idempotency-Key'] ?? '', items };
    sent.push(one);
    return answer(one, sent.length);
  });
  return { api: { fetch, baseUrl: 'http://api.test' }, sent };
}

describe('runImport', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends 100 at a time, skips what the rules refuse, and counts the answers', async () => {
    const { api, sent } = fakeApi(({ items }) => ok(items));
    const bad = candidateOf('line 999', { name: '' });
    const report = await runImport(api, [...candidates(250), bad], {});
    expect(sent.map((s) => s.items.length)).toEqual([100, 100, 50]);
    expect(new Set(sent.map((s) => s.key)).size).toBe(3);
    expect(report).toMatchObject({ total: 250, sent: 250, created: 250, duplicates: 0 });
    expect(report.skipped).toEqual([{ where: 'line 999', problems: bad.problems }]);
  });

  it('waits out a 429 as a pause, then sends the same batch with the same key', async () => {
    const { api, sent } = fakeApi(({ items }, n) =>
      n === 1 ? new Response('{}', { status: 429, headers: { 'Retry-After': '7' } }) : ok(items),
    );
    const seen: ImportReport[] = [];
    const done = runImport(api, candidates(10), { onProgress: (r) => seen.push(r) });
    await vi.advanceTimersByTimeAsync(7_000);
    const report = await done;
    expect(seen.some((r) => r.pausedFor === 7)).toBe(true);
    expect(sent.map((s) => s.key)).toEqual([sent[0]?.key, sent[0]?.key]);
    expect(report).toMatchObject({ created: 10, pausedFor: 0 });
    expect(report.stopped).toBeUndefined();
  });

  it('stops at a full quota, saying so, with what got in before', async () => {
    const { api } = fakeApi(({ items }, n) =>
      n === 1
        ? ok(items)
        : new Response(JSON.stringify({ detail: 'You have reached the limit of 100 contacts.' }), {
            status: 409,
          }),
    );
    const report = await runImport(api, candidates(150), {});
    expect(report).toMatchObject({ created: 100, sent: 100 });
    expect(report.stopped).toBe(
      'Your contacts are full. You have reached the limit of 100 contacts.',
    );
  });

  it('cancels between batches: the batch on its way is answered and counted', async () => {
    const controller = new AbortController();
    const { api, sent } = fakeApi(({ items }) => {
      controller.abort();
      return ok(items);
    });
    const report = await runImport(api, candidates(300), { signal: controller.signal });
    expect(sent).toHaveLength(1);
    expect(report).toMatchObject({ created: 100, sent: 100 });
    expect(report.stopped).toBe('Cancelled: 200 contacts were not sent.');
  });
});
