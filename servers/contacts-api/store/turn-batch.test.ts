import { describe, expect, it } from 'vitest';
import { batchPerTurn, MAX_BATCH } from './turn-batch.ts';

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** A lookup whose queries are recorded and answered from `values`. */
function recordedLookup(values: Record<string, number>) {
  const queries: string[][] = [];
  const lookup = batchPerTurn(
    (key: string) => key,
    async (keys) => {
      queries.push([...keys]);
      return new Map(keys.flatMap((k) => (k in values ? [[k, values[k] as number]] : [])));
    },
  );
  return { lookup, queries };
}

describe('batchPerTurn', () => {
  it('asks one query for the reads of one turn, each key once', async () => {
    const { lookup, queries } = recordedLookup({ a: 1, b: 2 });
    const answers = await Promise.all([lookup('a'), lookup('b'), lookup('a')]);
    expect(answers).toEqual([1, 2, 1]);
    expect(queries).toEqual([['a', 'b']]);
  });

  it('answers undefined for a key the query did not find', async () => {
    const { lookup } = recordedLookup({ a: 1 });
    expect(await Promise.all([lookup('a'), lookup('nobody')])).toEqual([1, undefined]);
  });

  it('a read asked after its turn was sent waits for a query of its own', async () => {
    const values: Record<string, number> = { a: 1 };
    const { lookup, queries } = recordedLookup(values);
    const first = lookup('a');
    await turn(); // the first batch has left
    values.a = 2; // a write completes
    const second = lookup('a');
    expect(await first).toBe(1);
    expect(await second).toBe(2);
    expect(queries).toEqual([['a'], ['a']]);
  });

  it('a read asked while a query is on its way is not answered by it', async () => {
    const releases: (() => void)[] = [];
    const queries: string[][] = [];
    let version = 1;
    const lookup = batchPerTurn(
      (key: string) => key,
      async (keys) => {
        queries.push([...keys]);
        const answer = version;
        await new Promise<void>((resolve) => releases.push(resolve));
        return new Map(keys.map((k) => [k, answer]));
      },
    );
    const first = lookup('a');
    await turn();
    version = 2;
    const second = lookup('a');
    await turn();
    expect(releases).toHaveLength(2); // the second read did not join the query on its way
    releases[0]?.();
    expect(await first).toBe(1);
    releases[1]?.(); // sent after the write
    expect(await second).toBe(2);
    expect(queries).toHaveLength(2);
  });

  it('a failed query fails every read of its batch, and the next turn asks again', async () => {
    let fail = true;
    const lookup = batchPerTurn(
      (key: string) => key,
      async (keys) => {
        if (fail) throw new Error('database unavailable');
        return new Map(keys.map((k) => [k, 7]));
      },
    );
    const reads = [lookup('a'), lookup('b')];
    await expect(reads[0]).rejects.toThrow('database unavailable');
    await expect(reads[1]).rejects.toThrow('database unavailable');
    fail = false;
    expect(await lookup('a')).toBe(7);
  });

  it(`splits a turn of more than ${MAX_BATCH} keys into bounded queries`, async () => {
    const keys = Array.from({ length: MAX_BATCH * 2 + 1 }, (_, i) => `k${i}`);
    const { lookup, queries } = recordedLookup(Object.fromEntries(keys.map((k, i) => [k, i])));
    const answers = await Promise.all(keys.map((k) => lookup(k)));
    expect(answers).toEqual(keys.map((_, i) => i));
    expect(queries.map((q) => q.length)).toEqual([MAX_BATCH, MAX_BATCH, 1]);
  });
});
