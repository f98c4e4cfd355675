import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSpaServer } from './create-spa-server.ts';

const config = {
  providers: [
    { id: 'a', label: 'A', issuer: 'https://idp.example/realm', clientId: 'c', scopes: ['openid'] },
  ],
  api: { baseUrl: 'https://api.example/v1', resource: 'https://api.example' },
};

let dist: string;
let app: Awaited<ReturnType<typeof createSpaServer>>;

beforeAll(async () => {
  dist = mkdtempSync(path.join(tmpdir(), 'spa-dist-'));
  mkdirSync(path.join(dist, 'assets'));
  writeFileSync(path.join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(path.join(dist, 'assets', 'app-123.js'), 'console.log(1)');
  writeFileSync(path.join(dist, 'config.json'), JSON.stringify(config));
  app = await createSpaServer({ distDir: dist });
});
afterAll(() => app.close());

describe('the SPA server', () => {
  it.each(['/', '/contacts', '/callback?code=x&state=y', '/deep/link'])(
    'serves the app at %s with security headers',
    async (url) => {
      const response = await app.inject({ url });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('<div id="root">');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['cache-control']).toBe('no-cache');
    },
  );

  it('sends a strict CSP whose connect-src is derived from the runtime config', async () => {
    const csp = String((await app.inject({ url: '/' })).headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toContain("connect-src 'self' https://idp.example https://api.example");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
  });

  it('serves the runtime config uncached', async () => {
    const response = await app.inject({ url: '/config.json' });
    expect(response.json()).toEqual(config);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('serves hashed assets as immutable', async () => {
    const response = await app.inject({ url: '/assets/app-123.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toContain('immutable');
  });

  it.each(['/assets/missing.js', '/favicon.ico', '/../package.json'])(
    'answers 404 for a missing file %s',
    async (url) => {
      expect((await app.inject({ url })).statusCode).toBe(404);
    },
  );

  it('serves another config file when told to, and a broken one as is', async () => {
    const other = path.join(dist, 'broken.json');
    writeFileSync(other, '{ not json');
    const server = await createSpaServer({ distDir: dist, configPath: other });
    const response = await server.inject({ url: '/config.json' });
    expect(response.body).toBe('{ not json');
    expect(String(response.headers['content-security-policy'])).toContain("connect-src 'self';");
    await server.close();
  });
});
