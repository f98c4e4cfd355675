// Each server, started for real with one bad setting, stops at once with exit code 1 and one
// line naming the variable (no stack trace), before it listens or touches any data.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const mains = {
  api: 'servers/contacts-api/main.ts',
  spa: 'servers/spa/main.ts',
  idp: 'servers/idp/main.ts',
} as const;

function start(main: keyof typeof mains, env: Record<string, string>) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'start-refusals-'));
  const child = spawn(process.execPath, ['--import', 'tsx', mains[main]], {
    env: {
      PATH: process.env.PATH,
      DATA_DIR: dataDir,
      API_PORT: '1',
      SPA_PORT: '1',
      IDP_PORT: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A server that did not refuse would run on: never left behind (and the test fails).
    timeout: 40_000,
    killSignal: 'SIGKILL',
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  return new Promise<{ code: number | null; lines: string[] }>((resolve) => {
    child.once('exit', (code) => resolve({ code, lines: stderr.trim().split('\n') }));
  });
}

const production = { NODE_ENV: 'production' };
const https = {
  SPA_PUBLIC_URL: 'https://app.example.com',
  API_PUBLIC_URL: 'https://api.example.com',
  TRUSTED_ISSUERS: 'https://login.example.com',
};
const spaConfig = JSON.stringify({
  providers: [
    { id: 'a', label: 'A', issuer: 'https://login.example.com', clientId: 'c', scopes: ['openid'] },
  ],
  api: { baseUrl: 'https://api.example.com', resource: 'https://api.example.com' },
});

// Fourteen processes start at once (tsx compiles each): on a busy 2-core machine that takes
// longer than the default 20 s.
describe.concurrent('a server started with a bad setting', { timeout: 60_000 }, () => {
  it.each([
    [
      'api',
      { API_PUBLIC_URL: 'https://api.example.com/v1' },
      'contacts API: could not start: API_PUBLIC_URL must be an origin',
    ],
    [
      'api',
      { API_HOST: 'http://0.0.0.0' },
      'contacts API: could not start: API_HOST must be a host name or IP address',
    ],
    [
      'api',
      { ...production, ...https, API_PUBLIC_URL: 'http://api.example.com' },
      'contacts API: could not start: API_PUBLIC_URL must be https in production',
    ],
    [
      'api',
      { ...production, ...https, TRUSTED_ISSUERS: '' },
      "contacts API: could not start: TRUSTED_ISSUERS must name your provider's issuer in production",
    ],
    [
      'api',
      { ...production, ...https, API_WORKERS: '2' },
      'contacts API: could not start: DPOP_NONCE_SECRET must be set in production',
    ],
    [
      'api',
      { API_WORKERS: '2' },
      'contacts API: could not start: REDIS_URL must be set when API_WORKERS is more than 1',
    ],
    [
      'api',
      { DATABASE_URL: 'postgres://127.0.0.1:1/contacts' },
      'contacts API: could not start: REDIS_URL must be set with DATABASE_URL',
    ],
    [
      'api',
      { REDIS_URL: 'redis://:s3cret@127.0.0.1:1' },
      'contacts API: could not start: REDIS_URL: Redis at 127.0.0.1:1: not reachable (ECONNREFUSED)',
    ],
    ['spa', { SPA_PUBLIC_URL: 'app.example.com' }, 'SPA server: SPA_PUBLIC_URL must be a URL'],
    [
      'spa',
      { ...production, ...https, SPA_CONFIG: spaConfig, SPA_TRUSTED_TYPES: 'report-only' },
      'SPA server: SPA_TRUSTED_TYPES=report-only is for the e2e suite only',
    ],
    [
      'spa',
      { ...production, ...https, SPA_CONFIG: spaConfig, SPA_EXPOSE_CSP_REPORTS: '1' },
      'SPA server: SPA_EXPOSE_CSP_REPORTS=1 is for the e2e suite only',
    ],
    [
      'spa',
      { ...production, ...https },
      'SPA server: SPA_CONFIG or SPA_CONFIG_PATH must give the runtime config in production',
    ],
    [
      'idp',
      { IDP_ISSUER: 'https://login.example.com?x' },
      'test IdP: IDP_ISSUER must be an origin',
    ],
    [
      'idp',
      { ...production, IDP_TEST_MODE: '1' },
      'test IdP: refused in production (NODE_ENV=production)',
    ],
  ] as const)('%s with %o stops with one line naming it', async (main, env, line) => {
    const { code, lines } = await start(main, env);
    expect(code).toBe(1);
    expect(lines).toEqual([expect.stringContaining(line)]);
    expect(lines[0]).not.toContain('s3cret'); // a URL's password is never echoed
  });
});
