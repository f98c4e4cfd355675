import { describe, expect, it } from 'vitest';
import { ConfigError, parseAppConfig } from './app-config.ts';

const valid = () => ({
  providers: [
    {
      id: 'local',
      label: 'Local test IdP',
      issuer: 'http://localhost:4000',
      clientId: 'contacts-spa',
      scopes: ['openid', 'profile', 'contacts:read'],
    },
  ],
  api: { baseUrl: 'http://localhost:4001', resource: 'http://localhost:4001' },
});

function problemsOf(input: unknown): readonly string[] {
  try {
    parseAppConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the config to be rejected');
}

describe('parseAppConfig', () => {
  it('accepts the local default and fills in optional settings', () => {
    const config = parseAppConfig(valid());
    expect(config.providers[0]?.issuer).toBe('http://localhost:4000');
    expect(config.options).toEqual({
      renewMarginSeconds: 30,
      clockToleranceSeconds: 120,
      sessionLifetimeHours: 8,
      contactsRefreshSeconds: 60,
    });
  });

  it('accepts https issuers and several providers', () => {
    const input = valid();
    input.providers.push({
      ...input.providers[0]!,
      id: 'corp',
      issuer: 'https://login.example.com/tenant',
    });
    expect(parseAppConfig(input).providers).toHaveLength(2);
  });

  it.each([
    [null, '(root): must be a JSON object'],
    [[], 'providers: is required'],
    ['{}', '(root): must be a JSON object'],
    [{}, 'providers: is required'],
    [{ providers: [{}], api: {} }, 'providers[0].issuer: is required'],
  ])('names the missing part for %j', (input, expected) => {
    expect(problemsOf(input)).toContain(expected);
  });

  it.each<[string, (c: ReturnType<typeof valid>) => void, string]>([
    [
      'http on a public host',
      (c) => (c.providers[0]!.issuer = 'http://idp.example'),
      'providers[0].issuer: issuer must use https',
    ],
    [
      'not a URL',
      (c) => (c.providers[0]!.issuer = 'idp'),
      'providers[0].issuer: issuer must be an absolute URL',
    ],
    [
      'a query in the issuer',
      (c) => (c.providers[0]!.issuer = 'https://idp.example/?x=1'),
      'providers[0].issuer: issuer must have no query',
    ],
    [
      'no openid scope',
      (c) => (c.providers[0]!.scopes = ['profile']),
      'providers[0].scopes: must include "openid"',
    ],
    [
      'a scope with a space',
      (c) => (c.providers[0]!.scopes = ['openid', 'a b']),
      'providers[0].scopes[1]: each scope',
    ],
    [
      'an empty client id',
      (c) => (c.providers[0]!.clientId = ''),
      'providers[0].clientId: must not be empty',
    ],
    [
      'an unknown audience parameter',
      (c) => Object.assign(c.providers[0]!, { audienceParameter: 'aud' }),
      'providers[0].audienceParameter: must be "resource", "audience" or "none"',
    ],
    ['a bad id', (c) => (c.providers[0]!.id = 'Local IdP'), 'providers[0].id: must be lower-case'],
    [
      'an http API elsewhere',
      (c) => (c.api.baseUrl = 'http://api.example'),
      'api.baseUrl: baseUrl must use https',
    ],
    [
      'duplicate provider ids',
      (c) => c.providers.push({ ...c.providers[0]! }),
      'providers: provider ids must be unique',
    ],
  ])('rejects %s, naming the field', (_name, mutate, expected) => {
    const input = valid();
    mutate(input);
    expect(problemsOf(input).join('\n')).toContain(expected);
  });

  it('sign-out at the provider: client_id and revocation by default, id_token_hint when set', () => {
    expect(parseAppConfig(valid()).providers[0]?.logout).toEqual({
      request: 'client_id',
      revocation: true,
    });
    const input = valid();
    Object.assign(input.providers[0]!, { logout: { request: 'id_token_hint', revocation: false } });
    expect(parseAppConfig(input).providers[0]?.logout).toEqual({
      request: 'id_token_hint',
      revocation: false,
    });
    // Each field keeps its own default when the other is given.
    Object.assign(input.providers[0]!, { logout: { request: 'id_token_hint' } });
    expect(parseAppConfig(input).providers[0]?.logout).toEqual({
      request: 'id_token_hint',
      revocation: true,
    });
    Object.assign(input.providers[0]!, { logout: { revocation: false } });
    expect(parseAppConfig(input).providers[0]?.logout).toEqual({
      request: 'client_id',
      revocation: false,
    });
    Object.assign(input.providers[0]!, { logout: { request: 'token' } });
    expect(problemsOf(input)).toEqual([
      'providers[0].logout.request: must be "client_id" or "id_token_hint"',
    ]);
  });

  it('refuses unknown fields instead of ignoring a typo', () => {
    const input = { ...valid(), apiUrl: 'https://api.example' };
    expect(problemsOf(input)).toContain('apiUrl: is not a known setting');
  });

  it('rejects an out-of-range renew margin', () => {
    const input = { ...valid(), options: { renewMarginSeconds: 0 } };
    expect(problemsOf(input).join('\n')).toContain('options.renewMarginSeconds');
    for (const hours of [0, -1, 'eight', 24 * 365]) {
      const lifetime = { ...valid(), options: { sessionLifetimeHours: hours } };
      expect(problemsOf(lifetime).join('\n')).toContain('options.sessionLifetimeHours');
    }
  });

  it('takes a contacts refresh interval of 5 to 3600 whole seconds, naming it otherwise', () => {
    for (const seconds of [5, 3600]) {
      const input = { ...valid(), options: { contactsRefreshSeconds: seconds } };
      expect(parseAppConfig(input).options.contactsRefreshSeconds).toBe(seconds);
    }
    for (const [seconds, why] of [
      [4, 'must be at least 5'],
      [3601, 'must be at most 3600'],
      [0, 'must be at least 5'],
      [30.5, 'must be a whole number'],
      ['60', 'must be a number'],
    ] as const) {
      const input = { ...valid(), options: { contactsRefreshSeconds: seconds } };
      expect(problemsOf(input)).toContain(`options.contactsRefreshSeconds: ${why}`);
    }
  });

  describe("the provider's names for the contacts permissions (contactsScopes)", () => {
    const entra = (contactsScopes?: unknown) => {
      const input = valid() as { providers: Record<string, unknown>[] };
      input.providers[0] = {
        ...input.providers[0],
        scopes: ['openid', 'profile', 'api://contacts-api/Contacts.Read'],
        ...(contactsScopes === undefined ? {} : { contactsScopes }),
      };
      return input;
    };

    it('default to contacts:read and contacts:write', () => {
      expect(parseAppConfig(valid()).providers[0]?.contactsScopes).toEqual({
        read: 'contacts:read',
        write: 'contacts:write',
      });
    });

    it('take the provider own names when given', () => {
      const scopes = {
        read: 'api://contacts-api/Contacts.Read',
        write: 'api://contacts-api/Contacts.Write',
      };
      expect(parseAppConfig(entra(scopes)).providers[0]?.contactsScopes).toEqual(scopes);
    });

    it('are required when the scopes asked at sign-in do not read contacts by the default name', () => {
      const [problem] = problemsOf(entra());
      expect(problem).toMatch(/^providers\[0\]\.contactsScopes: /);
      expect(problem).toContain('"contacts:read" is not among them');
    });

    it.each([
      [{ read: 'api://contacts-api/Contacts.Read' }, 'providers[0].contactsScopes.write'],
      [{ read: 'two words', write: 'x' }, 'providers[0].contactsScopes.read'],
      [
        { read: 'api://contacts-api/Contacts.Read', write: 'w', delete: 'd' },
        'contactsScopes.delete',
      ],
    ])('name the field that is wrong (%j)', (contactsScopes, field) => {
      expect(problemsOf(entra(contactsScopes)).join('\n')).toContain(field);
    });
  });
});
