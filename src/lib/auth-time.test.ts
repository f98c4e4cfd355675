import { describe, expect, it } from 'vitest';
import { plausibleAuthTime } from './clock.ts';

const now = 1_800_000_000;

describe('plausibleAuthTime', () => {
  it.each([
    ['a time in the past', now - 3600, now - 3600],
    ['now', now, now],
    ['just inside the tolerance in the future', now + 60, now + 60],
    ['1 (the first second of 1970: odd, but a time)', 1, 1],
  ])('keeps %s', (_case, authTime, expected) => {
    expect(plausibleAuthTime(authTime, now, 60)).toBe(expected);
  });

  it.each([
    ['0', 0],
    ['negative', -1],
    ['a fraction', now - 0.5],
    ['beyond the tolerance in the future', now + 61],
    ['a string', String(now)],
    ['null', null],
    ['missing', undefined],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['beyond safe integers', 2 ** 53],
  ])('drops %s', (_case, authTime) => {
    expect(plausibleAuthTime(authTime, now, 60)).toBeUndefined();
  });
});
