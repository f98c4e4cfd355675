import { describe, expect, it } from 'vitest';
import { readIssuerProfiles } from './issuer-profiles.ts';

const ENTRA = 'https://login.microsoftonline.com/t/v2.0';
const trusted = ['http://localhost:4000', ENTRA];

describe('ISSUER_PROFILES', () => {
  it('absent: every issuer gets the strict default (no entry)', () => {
    expect(readIssuerProfiles(undefined, trusted).size).toBe(0);
    expect(readIssuerProfiles('  ', trusted).size).toBe(0);
  });

  it('reads a profile, an audience and the provider scope names', () => {
    const raw = JSON.stringify({
      [ENTRA]: {
        profile: 'entra',
        audience: 'api-client-id',
        scopes: { 'contacts:read': 'Contacts.Read', 'contacts:write': 'Contacts.Write' },
      },
    });
    expect(readIssuerProfiles(raw, trusted).get(ENTRA)).toEqual({
      profile: 'entra',
      audience: 'api-client-id',
      scopeNames: { 'contacts:read': 'Contacts.Read', 'contacts:write': 'Contacts.Write' },
    });
  });

  it.each([
    ['not json', 'ISSUER_PROFILES must be a JSON object'],
    ['[1]', 'ISSUER_PROFILES must be a JSON object'],
    [
      JSON.stringify({ 'https://other.example': { profile: 'okta' } }),
      'not one of TRUSTED_ISSUERS',
    ],
    [JSON.stringify({ [ENTRA]: { profile: 'google' } }), '.profile must be one of'],
    [JSON.stringify({ [ENTRA]: { profile: 'entra', audience: '' } }), '.audience must be'],
    [
      JSON.stringify({ [ENTRA]: { profile: 'entra', scopes: { 'contacts:read': 'R' } } }),
      '.scopes must name',
    ],
    [
      JSON.stringify({
        [ENTRA]: { profile: 'entra', scopes: { 'contacts:read': 'a b', 'contacts:write': 'W' } },
      }),
      '.scopes must name',
    ],
    [JSON.stringify({ [ENTRA]: { profile: 'entra', aud: 'x' } }), '.aud is not a known setting'],
  ])('refuses %s, naming the variable', (raw, message) => {
    expect(() => readIssuerProfiles(raw, trusted)).toThrow(message);
    expect(() => readIssuerProfiles(raw, trusted)).toThrow('ISSUER_PROFILES');
  });
});
