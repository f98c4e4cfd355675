import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currentPath, safeReturnTo } from './return-to.ts';

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
    ['/a/..//evil.example', 'a path that normalises to a protocol-relative URL'],
    ['/a/%2e%2e//evil.example', 'the same with an encoded dot-dot'],
    ['/a/..\\\\evil.example', 'the same with backslashes'],
    ['/x/../callback?code=y', 'a path that normalises to the callback'],
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

// Pieces that URL parsing treats specially: separators, dot segments (plain and encoded),
// backslashes, schemes and hosts, query and fragment marks, controls and non-ASCII.
const piece = fc.constantFrom(
  '/',
  '//',
  '\\',
  '.',
  '..',
  '%2e',
  '%2E%2e',
  '%2f',
  '%5c',
  '?',
  '#',
  '@',
  ':',
  'evil.example',
  'https:',
  'javascript:',
  'callback',
  'contacts',
  ' ',
  '\t',
  '\n',
  '\u007f',
  'é',
  '%',
  '%zz',
  'a'.repeat(700),
);
const path = fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join(''));

describe('safeReturnTo, for any path', () => {
  it('is idempotent: what it returns, it returns again', () => {
    fc.assert(
      fc.property(path, (input) => {
        const once = safeReturnTo(input, origin);
        expect(safeReturnTo(once, origin)).toBe(once);
      }),
      { numRuns: 20_000 },
    );
  });

  it('returns a same-origin path that no browser reads as another host', () => {
    fc.assert(
      fc.property(path, (input) => {
        const result = safeReturnTo(input, origin);
        expect(result.startsWith('/')).toBe(true);
        expect(result.startsWith('//') || result.startsWith('/\\')).toBe(false);
        expect(new URL(result, origin).origin).toBe(origin);
        expect(new URL(result, origin).pathname).not.toBe('/callback');
      }),
      { numRuns: 20_000 },
    );
  });

  // Boundaries the mutation gate found untested (TESTING.md).
  it('keeps a path of exactly 2048 characters and refuses one longer', () => {
    const longest = `/${'a'.repeat(2047)}`;
    expect(safeReturnTo(longest, origin)).toBe(longest);
    expect(safeReturnTo(`${longest}a`, origin)).toBe('/');
  });

  it('allows a space (the browser encodes it) but no DEL character', () => {
    expect(safeReturnTo('/contacts?q=ada lovelace', origin)).toBe('/contacts?q=ada%20lovelace');
    expect(safeReturnTo('/contacts\u007fx', origin)).toBe('/');
  });

  it('falls back when the path cannot be read against the origin', () => {
    expect(safeReturnTo('/contacts', 'not an origin')).toBe('/');
  });
});

describe('currentPath', () => {
  it('is the path, query and fragment of the location, as sign-in will come back to it', () => {
    const location = { pathname: '/contacts/7', search: '?q=ada', hash: '#notes' };
    expect(currentPath(location)).toBe('/contacts/7?q=ada#notes');
    expect(safeReturnTo(currentPath(location), origin)).toBe('/contacts/7?q=ada#notes');
  });
});
