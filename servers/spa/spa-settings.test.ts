import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSpaSettings } from './spa-settings.ts';

const config = (issuer: string, api = 'https://api.example.com') =>
  JSON.stringify({
    providers: [{ id: 'corp', label: 'Corp', issuer, clientId: 'spa', scopes: ['openid'] }],
    api: { baseUrl: api, resource: api },
  });

const production = {
  NODE_ENV: 'production',
  SPA_PUBLIC_URL: 'https://app.example.com',
  SPA_CONFIG: config('https://login.example.com'),
};

describe('readSpaSettings', () => {
  it("keeps today's defaults: the build's own config, Trusted Types enforced", () => {
    expect(readSpaSettings({})).toMatchObject({
      configText: undefined,
      trustedTypes: 'enforce',
      exposeCspReports: false,
      local: { spaHost: 'localhost', spaOrigin: 'http://localhost:5173' },
    });
  });

  it('reads the runtime config from the environment or from a file', () => {
    expect(readSpaSettings({ SPA_CONFIG: '{"a":1}' }).configText).toBe('{"a":1}');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'spa-settings-')), 'config.json');
    writeFileSync(file, '{"b":2}');
    expect(readSpaSettings({ SPA_CONFIG_PATH: file }).configText).toBe('{"b":2}');
    expect(() => readSpaSettings({ SPA_CONFIG_PATH: `${file}.missing` })).toThrow(
      /^SPA_CONFIG_PATH cannot be read/,
    );
    expect(() => readSpaSettings({ SPA_CONFIG: '{}', SPA_CONFIG_PATH: file })).toThrow(
      'set SPA_CONFIG (the JSON) or SPA_CONFIG_PATH (a file), not both',
    );
  });

  it('runs in production with an https config', () => {
    expect(readSpaSettings(production)).toMatchObject({ trustedTypes: 'enforce' });
    // localhost stays allowed (a provider on this machine).
    expect(() =>
      readSpaSettings({ ...production, SPA_CONFIG: config('http://localhost:4000') }),
    ).not.toThrow();
  });

  it.each([
    [
      'Trusted Types report-only',
      { SPA_TRUSTED_TYPES: 'report-only' },
      /^SPA_TRUSTED_TYPES=report-only .* refused in production/,
    ],
    [
      'the CSP report listing',
      { SPA_EXPOSE_CSP_REPORTS: '1' },
      /^SPA_EXPOSE_CSP_REPORTS=1 .* refused in production/,
    ],
    [
      'no runtime config (the demo one)',
      { SPA_CONFIG: '' },
      /^SPA_CONFIG or SPA_CONFIG_PATH must give the runtime config/,
    ],
    [
      'a config that is not JSON',
      { SPA_CONFIG: '{ nope' },
      /^SPA_CONFIG must hold the runtime config as JSON/,
    ],
    [
      'an http issuer',
      { SPA_CONFIG: config('http://login.example.com') },
      /^SPA_CONFIG: providers\[\]\.issuer must be an https URL/,
    ],
    [
      'an http API',
      { SPA_CONFIG: config('https://login.example.com', 'http://api.example.com') },
      /^SPA_CONFIG: api\.baseUrl must be an https URL/,
    ],
    [
      'an http public URL',
      { SPA_PUBLIC_URL: 'http://app.example.com' },
      /^SPA_PUBLIC_URL must be https in production/,
    ],
  ])('refuses %s in production, naming the setting', (_what, more, message) => {
    expect(() => readSpaSettings({ ...production, ...more })).toThrow(message);
  });

  it('allows the test-only switches outside production, and checks their values', () => {
    expect(
      readSpaSettings({ SPA_TRUSTED_TYPES: 'report-only', SPA_EXPOSE_CSP_REPORTS: '1' }),
    ).toMatchObject({ trustedTypes: 'report-only', exposeCspReports: true });
    expect(() => readSpaSettings({ SPA_TRUSTED_TYPES: 'off' })).toThrow(
      /^SPA_TRUSTED_TYPES must be/,
    );
    expect(() => readSpaSettings({ SPA_EXPOSE_CSP_REPORTS: 'yes' })).toThrow(
      /^SPA_EXPOSE_CSP_REPORTS must be 1/,
    );
  });

  it('bounds the CSP reports per address, 60 a minute unless SPA_CSP_REPORTS_PER_MINUTE says', () => {
    expect(readSpaSettings({}).cspReportsPerMinute).toBe(60);
    expect(readSpaSettings({ SPA_CSP_REPORTS_PER_MINUTE: '5' }).cspReportsPerMinute).toBe(5);
    expect(() => readSpaSettings({ SPA_CSP_REPORTS_PER_MINUTE: '0' })).toThrow(
      /^SPA_CSP_REPORTS_PER_MINUTE must be a whole number/,
    );
  });

  it('trusts no proxy unless SPA_TRUSTED_PROXIES lists addresses or ranges', () => {
    expect(readSpaSettings({}).trustedProxies).toEqual([]);
    expect(
      readSpaSettings({ SPA_TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8' }).trustedProxies,
    ).toEqual(['127.0.0.1', '10.0.0.0/8']);
    expect(() => readSpaSettings({ SPA_TRUSTED_PROXIES: '*' })).toThrow(
      'SPA_TRUSTED_PROXIES must list IP addresses or CIDR ranges (or loopback, linklocal, uniquelocal), got "*"',
    );
  });
});
