import { describe, expect, it } from 'vitest';
import { createPageCache } from './page-cache.ts';

const body = (bytes: number) => Buffer.alloc(bytes, 'x');

describe('page cache', () => {
  it('serves a page only at the version it was built from, then forgets it', () => {
    const cache = createPageCache(10_000);
    cache.set('1 50  ', { version: 3, body: body(100) });
    expect(cache.get('1 50  ', 3)?.length).toBe(100);
    expect(cache.get('1 50  ', 4)).toBeUndefined();
    expect(cache.get('1 50  ', 3)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
  });

  it('evicts the least recently used page first and never exceeds its bound', () => {
    const cache = createPageCache(3 * (1_000 + 200 + 2 * 1));
    for (const key of ['a', 'b', 'c']) cache.set(key, { version: 1, body: body(1_000) });
    cache.get('a', 1); // a is now the most recently used
    cache.set('d', { version: 1, body: body(1_000) });
    expect(cache.get('b', 1)).toBeUndefined();
    for (const key of ['a', 'c', 'd']) expect(cache.get(key, 1)).toBeDefined();
    expect(cache.bytes).toBeLessThanOrEqual(3 * 1_202);
  });

  it('does not keep a page larger than the whole bound, nor anything when the bound is 0', () => {
    const cache = createPageCache(500);
    cache.set('big', { version: 1, body: body(1_000) });
    expect(cache.size).toBe(0);
    const off = createPageCache(0);
    off.set('a', { version: 1, body: body(1) });
    expect(off.get('a', 1)).toBeUndefined();
  });
});
