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
    expect(csp).toContain("frame-ancestors 'none'");
    // Trusted Types enforced by default (report-only only when asked: see the next test).
    expect(csp).toContain("require-trusted-types-for 'script'; trusted-types 'none'");
    expect((await app.inject({ url: '/' })).headers['content-security-policy-report-only']).toBe(
      undefined,
    );
    expect(csp).toContain('report-uri /csp-report');
    expect(csp).toContain("connect-src 'self' https://idp.example https://api.example;");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
  });

  it('lets only the app itself frame the silent-renew page, and nobody frame the others', async () => {
    const page = await app.inject({ url: '/contacts' });
    expect(page.headers['x-frame-options']).toBe('DENY');
    const renew = await app.inject({ url: '/callback?code=x&state=y' });
    expect(String(renew.headers['content-security-policy'])).toContain("frame-ancestors 'self'");
    expect(renew.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('moves Trusted Types into a report-only policy when asked (the e2e suite)', async () => {
    const server = await createSpaServer({ distDir: dist, trustedTypes: 'report-only' });
    const response = await server.inject({ url: '/contacts' });
    expect(String(response.headers['content-security-policy'])).not.toContain('trusted-types');
    expect(String(response.headers['content-security-policy-report-only'])).toBe(
      "require-trusted-types-for 'script'; trusted-types 'none'; report-uri /csp-report",
    );
    await server.close();
  });

  it('adds the endpoint origins found by discovery to connect-src', async () => {
    const origins = ['https://tokens.example'];
    const server = await createSpaServer({ distDir: dist, endpointOrigins: () => origins });
    const first = String((await server.inject({ url: '/' })).headers['content-security-policy']);
    expect(first).toContain(
      "connect-src 'self' https://idp.example https://tokens.example https://api.example;",
    );
    origins.push('https://keys.example');
    const later = String((await server.inject({ url: '/' })).headers['content-security-policy']);
    expect(later).toContain('https://keys.example');
    await server.close();
  });

  it('takes CSP reports, without the query of any URL in them', async () => {
    const seen: unknown[] = [];
    const server = await createSpaServer({ distDir: dist, onViolation: (v) => seen.push(v) });
    const response = await server.inject({
      method: 'POST',
      url: '/csp-report',
      headers: { 'content-type': 'application/csp-report' },
      payload: JSON.stringify({
        'csp-report': {
          'document-uri': 'http://localhost:5173/callback?code=secret&state=s',
          'effective-directive': 'script-src-elem',
          'blocked-uri': 'inline',
          'script-sample': 'alert(secret)',
        },
      }),
    });
    expect(response.statusCode).toBe(204);
    expect(seen).toEqual([{ directive: 'script-src-elem', blocked: 'inline', page: '/callback' }]);
    expect(JSON.stringify(seen)).not.toContain('secret');
    await server.close();
  });

  const report = (
    server: Awaited<ReturnType<typeof createSpaServer>>,
    fields: object,
    from = '127.0.0.1',
  ) =>
    server.inject({
      method: 'POST',
      url: '/csp-report',
      remoteAddress: from,
      headers: { 'content-type': 'application/csp-report' },
      payload: JSON.stringify({ 'csp-report': fields }),
    });

  it('never lets a report write a raw newline or other control character into the log', async () => {
    const lines: string[] = [];
    const server = await createSpaServer({
      distDir: dist,
      onViolation: (v) =>
        lines.push(`SPA: CSP violation: ${v.directive} blocked ${v.blocked} on ${v.page}`),
    });
    const forged = 'script-src\nSPA: CSP violation: forged\r\u2028\u001b[31m\u0085';
    expect(
      (
        await report(server, {
          'effective-directive': forged,
          'blocked-uri': 'eval\nforged line',
          'document-uri': 'http://localhost:5173/a\nb',
        })
      ).statusCode,
    ).toBe(204);
    expect(lines).toHaveLength(1);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
    expect(lines[0]).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    expect(lines[0]).toContain('script-src\\u000aSPA: CSP violation: forged\\u000d\\u2028');
    expect(lines[0]).toContain('eval\\u000aforged line');
    await server.close();
  });

  it('accepts only so many reports per address, then 429 with Retry-After and no log', async () => {
    const seen: unknown[] = [];
    const server = await createSpaServer({
      distDir: dist,
      onViolation: (v) => seen.push(v),
      cspReportLimit: { perAddress: 3, windowSeconds: 60 },
    });
    const fields = { 'effective-directive': 'img-src', 'blocked-uri': 'https://x.example/a' };
    for (let i = 0; i < 3; i += 1) expect((await report(server, fields)).statusCode).toBe(204);
    const limited = await report(server, fields);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(seen).toHaveLength(3);
    // Another address is not affected, nor the pages.
    expect((await report(server, fields, '192.0.2.8')).statusCode).toBe(204);
    expect((await server.inject({ url: '/' })).statusCode).toBe(200);
    await server.close();
  });

  it.each([
    ['a trusted proxy', ['10.0.0.5'], 204],
    ['any other peer', [], 429],
  ])('keys the report limit by X-Forwarded-For only from %s', async (_what, trusted, third) => {
    const server = await createSpaServer({
      distDir: dist,
      onViolation: () => undefined,
      cspReportLimit: { perAddress: 2, windowSeconds: 60 },
      trustedProxies: trusted,
    });
    const via = (client: string) =>
      server.inject({
        method: 'POST',
        url: '/csp-report',
        remoteAddress: '10.0.0.5',
        headers: { 'content-type': 'application/csp-report', 'x-forwarded-for': client },
        payload: JSON.stringify({ 'csp-report': { 'effective-directive': 'img-src' } }),
      });
    expect((await via('192.0.2.1')).statusCode).toBe(204);
    expect((await via('192.0.2.1')).statusCode).toBe(204);
    // The same client again: over its budget either way (positive control).
    expect((await via('192.0.2.1')).statusCode).toBe(429);
    // Another client: its own budget behind a trusted proxy; the peer's shared one otherwise.
    expect((await via('192.0.2.2')).statusCode).toBe(third);
    await server.close();
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

describe('the request log', () => {
  it('writes JSON lines with the path, never the query (the callback carries the code)', async () => {
    const lines: string[] = [];
    const server = await createSpaServer({
      distDir: dist,
      requestLog: { write: (line) => lines.push(line) },
    });
    await server.inject({ url: '/callback?code=secret-code&state=secret-state' });
    await server.inject({ url: '/assets/app-123.js' });
    const entries = lines.map((line) => JSON.parse(line));
    expect(entries).toEqual([
      expect.objectContaining({ msg: 'request', method: 'GET', path: '/callback', status: 200 }),
      expect.objectContaining({ path: '/assets/app-123.js', route: '/*', status: 200 }),
    ]);
    expect(lines.join('\n')).not.toContain('secret');
    await server.close();
  });
});
