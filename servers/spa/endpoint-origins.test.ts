import { describe, expect, it } from 'vitest';
import { discoverEndpointOrigins } from './endpoint-origins.ts';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('discoverEndpointOrigins', () => {
  it('collects the origins of the endpoints, https or loopback only', async () => {
    const found = discoverEndpointOrigins(['https://idp.example/realm'], {
      fetchImpl: async () =>
        json({
          token_endpoint: 'https://tokens.example/oauth/token',
          jwks_uri: 'https://keys.example/jwks',
          revocation_endpoint: 'http://plain.example/revoke',
          userinfo_endpoint: 'http://localhost:4000/me',
        }),
    });
    await found.ready;
    expect(found.current().sort()).toEqual([
      'http://localhost:4000',
      'https://keys.example',
      'https://tokens.example',
    ]);
  });

  it('retries an issuer that is not up yet', async () => {
    let calls = 0;
    const found = discoverEndpointOrigins(['https://idp.example'], {
      retryMs: 1,
      fetchImpl: async () => {
        calls += 1;
        if (calls < 3) throw new TypeError('fetch failed');
        return json({ token_endpoint: 'https://tokens.example/token' });
      },
    });
    await found.ready;
    expect(found.current()).toEqual(['https://tokens.example']);
    expect(calls).toBe(3);
  });
});
