import { describe, expect, it } from 'vitest';
import { redactRecord, redactTokens } from './redact-tokens.ts';

const jwt =
  'eyJhbGciOiJFUzI1NiIsInR5cCI6ImRwb3Arand0In0.eyJqdGkiOiJ4IiwiaHRtIjoiR0VUIn0.c2lnbmF0dXJlLXBhcnQ';

describe('redactTokens', () => {
  it.each([
    ['a JWT anywhere in a message', `proof ${jwt} refused`, 'proof [redacted] refused'],
    [
      'an Authorization value',
      'Authorization: Bearer abcdefgh12345678',
      'Authorization: Bearer [redacted]',
    ],
    ['a DPoP-scheme value', 'DPoP Zm9vYmFyYmF6cXV4', 'DPoP [redacted]'],
    [
      'a code in a URL',
      '/callback?code=ab12-cd34&state=xyz',
      '/callback?code=[redacted]&state=[redacted]',
    ],
    [
      'a refresh token in a form',
      'grant_type=refresh_token&refresh_token=opaque123',
      'grant_type=refresh_token&refresh_token=[redacted]',
    ],
    [
      'an IdP session cookie',
      'cookie: _session=abc123; _session.sig=def456',
      'cookie: _session=[redacted]; _session.sig=[redacted]',
    ],
    ['a suffixed cookie', '_interaction_second=abc', '_interaction_second=[redacted]'],
  ])('masks %s', (_what, input, output) => {
    expect(redactTokens(input)).toBe(output);
  });

  it.each([
    'GET /contacts 200',
    'keys of https://login.idp.test:8443 not loaded',
    'route /contacts/:id',
  ])('leaves %s alone', (text) => {
    expect(redactTokens(text)).toBe(text);
  });

  it('masks every string of a record, nested', () => {
    expect(redactRecord({ msg: 'x', err: { message: `bad ${jwt}` }, list: [jwt], n: 1 })).toEqual({
      msg: 'x',
      err: { message: 'bad [redacted]' },
      list: ['[redacted]'],
      n: 1,
    });
  });
});
