import { describe, expect, it } from 'vitest';
import { parseWwwAuthenticate } from './www-authenticate.ts';

describe('parseWwwAuthenticate', () => {
  it.each([
    ['Bearer realm="contacts"', 'Bearer', { realm: 'contacts' }],
    [
      'Bearer realm="contacts", error="invalid_token", error_description="The access token expired"',
      'Bearer',
      { realm: 'contacts', error: 'invalid_token', error_description: 'The access token expired' },
    ],
    [
      'Bearer error="insufficient_scope", scope="contacts:read contacts:write"',
      'Bearer',
      { error: 'insufficient_scope', scope: 'contacts:read contacts:write' },
    ],
    ['DPoP error=use_dpop_nonce', 'DPoP', { error: 'use_dpop_nonce' }],
    ['Bearer realm="a \\"quoted\\" realm"', 'Bearer', { realm: 'a "quoted" realm' }],
    ['Bearer ERROR="invalid_token"', 'Bearer', { error: 'invalid_token' }],
    ['Bearer', 'Bearer', {}],
  ])('parses %s', (header, scheme, params) => {
    expect(parseWwwAuthenticate(header)).toEqual({ scheme, params });
  });

  it('keeps the first of duplicated parameters', () => {
    expect(parseWwwAuthenticate('Bearer error="invalid_token", error="other"')?.params.error).toBe(
      'invalid_token',
    );
  });

  it.each([null, '', '   ', '="x"'])('returns null for %j', (header) => {
    expect(parseWwwAuthenticate(header)).toBeNull();
  });
});
