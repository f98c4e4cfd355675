import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './return-to.ts';

const origin = 'https://app.example';

describe('safeReturnTo', () => {
  it.each([
    ['/contacts', '/contacts'],
    ['/contacts?q=ada#top', '/contacts?q=ada#top'],
    ['/a/../contacts', '/contacts'],
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
  ])('keeps the same-origin path %s', (input, expected) => {
    expect(safeReturnTo(input, origin)).toBe(expected);
  });

  it.each([
    ['https://evil.example/', 'absolute URL elsewhere'],
    ['https://app.example/contacts', 'absolute URL, even on this origin'],
    ['//evil.example/path', 'protocol-relative URL'],
    ['/\\evil.example', 'backslash trick'],
    ['\\\\evil.example', 'double backslash'],
    ['javascript:alert(1)', 'script URL'],
    ['data:text/html,hi', 'data URL'],
    ['contacts', 'relative path'],
    ['', 'empty'],
    ['/\tevil', 'control character'],
    ['/callback?code=x&state=y', 'the callback itself'],
    [`/${'a'.repeat(3000)}`, 'absurdly long'],
  ])('falls back to / for %s (%s)', (input) => {
    expect(safeReturnTo(input, origin)).toBe('/');
  });

  it.each([undefined, null, 42, { returnTo: '/x' }, ['/x']])(
    'falls back to / for non-strings (%j)',
    (input) => {
      expect(safeReturnTo(input, origin)).toBe('/');
    },
  );
});
