// `npx tsx bench/contacts-revalidation.ts`: what keeping a visible contacts page fresh costs
// at 10,000 contacts, with the real IdP and API (child processes, SQLite). The SPA asks the
// first page with the list's ETag (src/contacts/contacts-refresh.ts):
//  - unchanged: one 304, no body;
//  - one contact changed: 200, then every page read again (50 pages of 200), parsed and
//    merged (src/contacts/contact-merge.ts);
//  - what a "changes since version V" answer would cost instead: one contact's JSON (the
//    size and time of GET /contacts/:id, a stand-in: the API has no changes feed).
// Bytes are what the API sends: status line, headers and body (headers counted from the
// response; no TLS, no compression). Times are medians over BENCH_RUNS (default 30) on
// loopback, in this process, so they include parsing the answer where the SPA parses it.
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Contact } from '../src/contacts/contact.ts';
import { mergeContacts } from '../src/contacts/contact-merge.ts';
import { startStack } from './api-processes.ts';
import { accessToken, USER } from './api-token.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const PAGE = 200;

interface Measured {
  bytes: number;
  ms: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** Status line + headers + blank line, as HTTP/1.1 sends them. */
function headerBytes(response: Response): number {
  let bytes = `HTTP/1.1 ${response.status} ${response.statusText}\r\n`.length + 2;
  response.headers.forEach((value, name) => {
    bytes += Buffer.byteLength(`${name}: ${value}\r\n`);
  });
  return bytes;
}

async function main(): Promise<void> {
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const stack = await startStack(USER);
  try {
    const { idpIssuer, spaOrigin, apiUrl } = stack.env;
    const token = await accessToken(idpIssuer, spaOrigin, 'openid contacts:read contacts:write');
    const auth = { authorization: `Bearer ${token}`, accept: 'application/json' };
    const get = (path: string, headers: Record<string, string> = {}) =>
      fetch(`${apiUrl}${path}`, { headers: { ...auth, ...headers } });

    /** The SPA's refresh: the first page with If-None-Match, then (changed) the rest. */
    const refresh = async (etag: string | null) => {
      let bytes = 0;
      const started = performance.now();
      const first = await get(`/contacts?limit=${PAGE}`, etag ? { 'if-none-match': etag } : {});
      bytes += headerBytes(first);
      if (first.status === 304) {
        return { bytes, ms: performance.now() - started, etag, contacts: null };
      }
      const text = await first.text();
      bytes += Buffer.byteLength(text);
      let page = JSON.parse(text) as { items: Contact[]; nextCursor: string | null };
      const contacts = [...page.items];
      while (page.nextCursor) {
        const next = await get(
          `/contacts?limit=${PAGE}&cursor=${encodeURIComponent(page.nextCursor)}`,
        );
        const body = await next.text();
        bytes += headerBytes(next) + Buffer.byteLength(body);
        page = JSON.parse(body);
        contacts.push(...page.items);
      }
      return { bytes, ms: performance.now() - started, etag: first.headers.get('etag'), contacts };
    };

    const loaded = await refresh(null);
    let list = loaded.contacts ?? [];
    let etag = loaded.etag;
    console.log(`${list.length} contacts, ${loaded.bytes} B read whole`);

    const unchanged: Measured[] = [];
    const changedReads: Measured[] = [];
    const merges: number[] = [];
    const feedLike: Measured[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const same = await refresh(etag);
      if (same.contacts) throw new Error('expected a 304');
      unchanged.push(same);

      // One contact changed elsewhere.
      const target = list[run % list.length] as Contact;
      const current = await get(`/contacts/${target.id}`);
      const saved = await fetch(`${apiUrl}/contacts/${target.id}`, {
        method: 'PUT',
        headers: {
          ...auth,
          'content-type': 'application/json',
          'if-match': current.headers.get('etag') ?? '',
        },
        body: JSON.stringify({ name: target.name, notes: `changed in run ${run}` }),
      });
      if (saved.status !== 200) throw new Error(`PUT answered ${saved.status}`);
      await saved.text();

      const changed = await refresh(etag);
      if (!changed.contacts) throw new Error('expected a 200');
      const mergeStarted = performance.now();
      const merged = mergeContacts(list, changed.contacts);
      merges.push(performance.now() - mergeStarted);
      changedReads.push(changed);
      list = [...merged];
      etag = changed.etag;

      // A changes feed's answer would be about one contact: GET /contacts/:id stands in.
      const started = performance.now();
      const one = await get(`/contacts/${target.id}`);
      const body = await one.text();
      JSON.parse(body);
      feedLike.push({
        bytes: headerBytes(one) + Buffer.byteLength(body),
        ms: performance.now() - started,
      });
    }

    const row = (name: string, measured: Measured[], extra = '') =>
      console.log(
        `${name.padEnd(44)} ${String(median(measured.map((m) => m.bytes))).padStart(9)} B ${median(
          measured.map((m) => m.ms),
        )
          .toFixed(1)
          .padStart(8)} ms${extra}`,
      );
    console.log(`\nmedians of ${RUNS} runs at ${list.length} contacts (bytes sent by the API):`);
    row('unchanged: one 304', unchanged);
    row(
      'one change: 200 + every page read again',
      changedReads,
      `  + merge ${median(merges).toFixed(1)} ms`,
    );
    row('one change, a changes-feed-like answer', feedLike);
  } finally {
    await stack.stop();
  }
  console.log(
    `\nload average at end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

await main();
