import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readLocalEnv } from './local-env.ts';
import { localSpaConfig } from './local-spa-config.ts';

describe('localSpaConfig', () => {
  it('is exactly public/config.json at the default ports', () => {
    const shipped = JSON.parse(readFileSync('public/config.json', 'utf8'));
    expect(localSpaConfig(readLocalEnv({}))).toEqual(shipped);
  });

  it('follows overridden ports', () => {
    const config = localSpaConfig({
      idpIssuer: 'http://localhost:4100',
      apiUrl: 'http://localhost:4101',
    });
    expect(config.providers[0]?.issuer).toBe('http://localhost:4100');
    expect(config.api).toEqual({
      baseUrl: 'http://localhost:4101',
      resource: 'http://localhost:4101',
    });
  });
});
