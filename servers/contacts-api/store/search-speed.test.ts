// Search keeps its speed at 10,000 contacts on both engines: a first page or a search costs
// milliseconds, not a walk over every row (SQLite: the word-prefix table; PostgreSQL: the
// owner-keyed lexemes' GIN index, postgres-migrations.ts). Bounds are loose (a loaded 2-core
// CI machine); the figures are printed. bench:api measures throughput.
import { performance } from 'node:perf_hooks';
import { beforeAll, describe, expect, it } from 'vitest';
import { searchTerms } from '../fold.ts';
import { generateContacts } from '../seed-scale.ts';
import type { ContactStore } from './store.ts';
import { engines, useTestDatabase } from './test-databases.ts';

const owner = { iss: 'http://localhost:4000', sub: 'scale' };
const QUERIES = ['', 'a', 'mul', 'zoe muller', 'anna', 'example', '+44', 'søren', 'x', 'zz'];
const BOUND_MS = 40; // median per query; measured here ≈ 0.1–3 ms

describe.each(engines)('search at 10,000 contacts on %s', (engine) => {
  const db = useTestDatabase(engine);
  let store: ContactStore;
  beforeAll(async () => {
    store = await db.emptyStore();
    // Someone else's contacts too: a search must not pay for them.
    await store.createContacts({ ...owner, sub: 'neighbour' }, generateContacts(500, 3));
    const contacts = generateContacts(10_000);
    for (let i = 0; i < contacts.length; i += 1_000) {
      await store.createContacts(owner, contacts.slice(i, i + 1_000));
    }
    if (engine === 'postgres') await db.pool().query('ANALYZE');
  }, 60_000);

  it('answers a first page of every query within the bound', async () => {
    const figures: string[] = [];
    for (const q of QUERIES) {
      const options = { terms: searchTerms(q), after: undefined, limit: 50 };
      await store.listContactsJson(owner, options); // warm: prepared plans, caches
      const times: number[] = [];
      for (let run = 0; run < 5; run += 1) {
        const start = performance.now();
        await store.listContactsJson(owner, options);
        times.push(performance.now() - start);
      }
      const median = times.sort((a, b) => a - b)[2] ?? 0;
      figures.push(`${q || '(all)'} ${median.toFixed(2)} ms`);
      expect(median, `q=${q}`).toBeLessThan(BOUND_MS);
    }
    process.stdout.write(`search at 10,000 contacts on ${engine}: ${figures.join(', ')}\n`);
  });
});
