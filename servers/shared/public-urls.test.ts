import { describe, expect, it } from 'vitest';
import { readLocalEnv } from '../local-env.ts';
import { checkOrigin, listenHostFromEnv } from './public-urls.ts';

const dev = { production: false };
const prod = { production: true };

describe('checkOrigin', () => {
  it.each([
    'https://app.example.com',
    'https://app.example.com:8443',
    'http://localhost:5173',
    'http://127.0.0.1:4000',
    'https://login.idp.test:8443',
    'http://[::1]:4001',
  ])('accepts the origin %s', (value) => {
    expect(checkOrigin('SPA_PUBLIC_URL', value, dev)).toBe(value);
  });

  it.each([
    ['not a URL', 'app.example.com', 'must be a URL'],
    ['a bare word', 'localhost', 'must be a URL'],
    ['a relative path', '/app', 'must be a URL'],
    ['a port without a host', ':8443', 'must be a URL'],
    ['another scheme', 'ftp://app.example.com', 'must be an http or https URL'],
    ['a javascript: URL', 'javascript:alert(1)', 'must be an http or https URL'],
    ['a WebSocket URL', 'wss://app.example.com', 'must be an http or https URL'],
    ['credentials', 'https://user:pw@app.example.com', 'must not carry a user name or password'],
    ['a path', 'https://app.example.com/app', 'without a path, query or fragment'],
    ['a trailing slash', 'https://app.example.com/', 'without a path, query or fragment'],
    ['a query', 'https://app.example.com?x=1', 'without a path, query or fragment'],
    ['an empty query', 'https://app.example.com?', 'without a path, query or fragment'],
    ['a fragment', 'https://app.example.com#top', 'without a path, query or fragment'],
    [
      'an upper-case host',
      'https://App.Example.com',
      'must be written as "https://app.example.com"',
    ],
    [
      'the default https port',
      'https://app.example.com:443',
      'must be written as "https://app.example.com"',
    ],
    ['the default http port', 'http://localhost:80', 'must be written as "http://localhost"'],
    ['surrounding spaces', ' https://app.example.com', 'must be written as'],
    ['an IDN host', 'https://bücher.example', 'must be written as "https://xn--bcher-kva.example"'],
  ])('refuses %s, naming the variable', (_what, value, message) => {
    expect(() => checkOrigin('API_PUBLIC_URL', value, dev)).toThrow(/^API_PUBLIC_URL /);
    expect(() => checkOrigin('API_PUBLIC_URL', value, dev)).toThrow(message);
  });

  it.each([
    'http://app.example.com',
    'http://10.0.0.5:8080',
    'http://[::1]:4001',
    'http://localhost.example',
  ])('refuses http for %s in production only', (value) => {
    expect(checkOrigin('IDP_ISSUER', value, dev)).toBe(value);
    expect(() => checkOrigin('IDP_ISSUER', value, prod)).toThrow(
      'IDP_ISSUER must be https in production (NODE_ENV=production), except for localhost',
    );
  });

  it.each(['http://localhost:4000', 'http://127.0.0.1:4000', 'https://app.example.com'])(
    'accepts %s in production',
    (value) => {
      expect(checkOrigin('IDP_ISSUER', value, prod)).toBe(value);
    },
  );
});

describe('listenHostFromEnv', () => {
  it.each(['localhost', '127.0.0.1', '0.0.0.0', '::', '::1', 'api-1.internal', 'fe80::1'])(
    'accepts %s',
    (value) => {
      expect(listenHostFromEnv({ API_HOST: value }, 'API_HOST', 'localhost')).toBe(value);
    },
  );

  it.each([
    'http://localhost',
    'localhost:4001',
    '127.0.0.1/8',
    'a b',
    '-bad.example',
    'bad-.example',
    '[::1]',
  ])('refuses %s, naming the variable', (value) => {
    expect(() => listenHostFromEnv({ API_HOST: value }, 'API_HOST', 'localhost')).toThrow(
      /^API_HOST must be a host name or IP address to listen on/,
    );
  });

  it('falls back when unset or empty', () => {
    expect(listenHostFromEnv({}, 'SPA_HOST', 'localhost')).toBe('localhost');
    expect(listenHostFromEnv({ SPA_HOST: '' }, 'SPA_HOST', 'localhost')).toBe('localhost');
  });
});

describe('readLocalEnv: public URLs and listen addresses', () => {
  it("keeps today's localhost defaults", () => {
    const env = readLocalEnv({});
    expect(env).toMatchObject({
      production: false,
      idpIssuer: 'http://localhost:4000',
      apiUrl: 'http://localhost:4001',
      spaOrigin: 'http://localhost:5173',
      idpHost: 'localhost',
      apiHost: 'localhost',
      spaHost: 'localhost',
    });
  });

  it('follows the ports when no public URL is given', () => {
    const env = readLocalEnv({ IDP_PORT: '4100', API_PORT: '4101', SPA_PORT: '5273' });
    expect([env.idpIssuer, env.apiUrl, env.spaOrigin]).toEqual([
      'http://localhost:4100',
      'http://localhost:4101',
      'http://localhost:5273',
    ]);
  });

  it('takes the public URLs apart from the listen addresses', () => {
    const env = readLocalEnv({
      SPA_PUBLIC_URL: 'https://app.contacts.test:8443',
      API_PUBLIC_URL: 'https://api.contacts.test:8443',
      IDP_ISSUER: 'https://login.idp.test:8443',
      SPA_HOST: '127.0.0.1',
      API_HOST: '0.0.0.0',
      IDP_HOST: '127.0.0.1',
      NODE_ENV: 'production',
    });
    expect(env).toMatchObject({
      production: true,
      spaOrigin: 'https://app.contacts.test:8443',
      apiUrl: 'https://api.contacts.test:8443',
      idpIssuer: 'https://login.idp.test:8443',
      spaHost: '127.0.0.1',
      apiHost: '0.0.0.0',
      idpHost: '127.0.0.1',
    });
  });

  it('puts a loopback IDP_HOST in the default issuer (the second e2e IdP), no other host', () => {
    expect(readLocalEnv({ IDP_HOST: '127.0.0.1' }).idpIssuer).toBe('http://127.0.0.1:4000');
    expect(readLocalEnv({ IDP_HOST: '0.0.0.0' }).idpIssuer).toBe('http://localhost:4000');
  });

  it.each([
    ['SPA_PUBLIC_URL', 'https://app.example.com/contacts'],
    ['API_PUBLIC_URL', 'api.example.com'],
    ['IDP_ISSUER', 'https://login.example.com?tenant=1'],
    ['SPA_HOST', 'https://app.example.com'],
    ['API_HOST', '127.0.0.1:4001'],
    ['IDP_HOST', 'login example'],
  ])('stops on a bad %s with a message naming it', (name, value) => {
    expect(() => readLocalEnv({ [name]: value })).toThrow(new RegExp(`^${name} `));
  });

  it.each(['SPA_PUBLIC_URL', 'API_PUBLIC_URL', 'IDP_ISSUER'])(
    'refuses an http %s for another host than localhost in production',
    (name) => {
      expect(readLocalEnv({ [name]: 'http://contacts.example.com' })).toBeTruthy();
      expect(() =>
        readLocalEnv({ [name]: 'http://contacts.example.com', NODE_ENV: 'production' }),
      ).toThrow(new RegExp(`^${name} must be https in production`));
    },
  );
});
