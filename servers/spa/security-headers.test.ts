// Every security header docs/security.md names, on every kind of response the SPA server
// gives: pages, the silent-renew page, the runtime config, assets, 404s, a refused method,
// the CSP report endpoint. A header set in one place only would show here as one missing cell.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

let app: Awaited<ReturnType<typeof createSpaServer>>;
beforeAll(async () => {
  const dist = mkdtempSync(path.join(tmpdir(), 'spa-headers-'));
  mkdirSync(path.join(dist, 'assets'));
  writeFileSync(path.join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(path.join(dist, 'assets', 'app-123.js'), 'console.log(1)');
  writeFileSync(path.join(dist, 'config.json'), JSON.stringify(config));
  app = await createSpaServer({ distDir: dist, onViolation: () => {} });
});
afterAll(() => app.close());

const responses: [
  kind: string,
  request: {
    method?: 'GET' | 'POST' | 'DELETE';
    url: string;
    payload?: string;
    headers?: Record<string, string>;
  },
][] = [
  ['the home page', { url: '/' }],
  ['a deep link', { url: '/contacts/42/edit' }],
  ['the silent-renew page', { url: '/callback?code=x&state=y' }],
  ['the runtime config', { url: '/config.json' }],
  ['a hashed asset', { url: '/assets/app-123.js' }],
  ['a missing asset (404)', { url: '/assets/missing.js' }],
  ['a missing file (404)', { url: '/favicon.ico' }],
  ['a method the server refuses', { method: 'DELETE', url: '/config.json' }],
  [
    'a CSP report',
    {
      method: 'POST',
      url: '/csp-report',
      headers: { 'content-type': 'application/csp-report' },
      payload: JSON.stringify({
        'csp-report': {
          'document-uri': 'https://app.example/contacts',
          'violated-directive': 'script-src',
          'blocked-uri': 'inline',
        },
      }),
    },
  ],
];

/** The directives docs/security.md promises, each as the policy must spell it. */
const cspDirectives = [
  "default-src 'none'",
  "script-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "connect-src 'self' https://idp.example https://api.example",
  'report-uri /csp-report',
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
];

describe('security headers on every kind of response', () => {
  it('names in docs/security.md what this test checks', () => {
    const doc = readFileSync('docs/security.md', 'utf8').replace(/\s+/g, ' ');
    for (const directive of cspDirectives.filter((d) => !d.startsWith('connect-src'))) {
      expect(doc).toContain(directive);
    }
    for (const header of [
      'Referrer-Policy: no-referrer',
      'X-Content-Type-Options: nosniff',
      'Cross-Origin-Opener-Policy: same-origin',
      'Cross-Origin-Resource-Policy: same-origin',
      'Permissions-Policy',
      'X-Frame-Options',
    ]) {
      expect(doc).toContain(header);
    }
  });

  it.each(responses)('%s', async (kind, request) => {
    const response = await app.inject(request);
    const headers = response.headers;
    const csp = String(headers['content-security-policy'] ?? '');
    for (const directive of cspDirectives) expect.soft(csp, kind).toContain(directive);
    const framedBySelf = request.url.startsWith('/callback');
    expect.soft(csp, kind).toContain(`frame-ancestors ${framedBySelf ? "'self'" : "'none'"}`);
    expect.soft(headers['x-frame-options'], kind).toBe(framedBySelf ? 'SAMEORIGIN' : 'DENY');
    expect.soft(headers['referrer-policy'], kind).toBe('no-referrer');
    expect.soft(headers['x-content-type-options'], kind).toBe('nosniff');
    expect.soft(headers['cross-origin-opener-policy'], kind).toBe('same-origin');
    expect.soft(headers['cross-origin-resource-policy'], kind).toBe('same-origin');
    expect
      .soft(headers['permissions-policy'], kind)
      .toBe('camera=(), microphone=(), geolocation=(), payment=()');
  });
});
