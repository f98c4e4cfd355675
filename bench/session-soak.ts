// Soak benchmark of the session layer: one user, three tabs of a real Chromium, continuous
// API traffic from every tab, access tokens of ACCESS_TOKEN_TTL seconds (default 2) until at
// least RENEWALS renewals (default 100) have happened. Prints renewals, failures seen by
// the user, refresh requests per renewal (the IdP's counters) and renewal latency.
//   npx tsx bench/session-soak.ts          (RENEWALS=100 TABS=3 ACCESS_TOKEN_TTL=2)
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { build } from 'vite';
import { chromiumArgs, findBrowser } from '../e2e/browser.ts';
import { IdpControl } from '../e2e/idp-control.ts';
import { findDemoUser } from '../servers/demo-data.ts';
import { freePort } from '../servers/free-port.ts';
import { readLocalEnv } from '../servers/local-env.ts';
import { localSpaConfig } from '../servers/local-spa-config.ts';
import { stopChildren } from './api-processes.ts';
import { waitUntilServed } from './spa-process.ts';

const RENEWALS = Number(process.env.RENEWALS ?? 100);
const TABS = Number(process.env.TABS ?? 3);
const TTL = process.env.ACCESS_TOKEN_TTL ?? '2';
const USER = 'worker1';

async function startStack() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-session-'));
  const secret = randomBytes(32).toString('base64url');
  const vars: Record<string, string> = {
    IDP_PORT: String(await freePort()),
    API_PORT: String(await freePort()),
    SPA_PORT: String(await freePort()),
    DATA_DIR: dataDir,
    ACCESS_TOKEN_TTL: TTL,
    IDP_TEST_MODE: '1', // for the IdP's counters
    IDP_TEST_SECRET: secret,
    SPA_CONFIG_PATH: path.join(dataDir, 'spa-config.json'),
  };
  const env = readLocalEnv(vars);
  writeFileSync(vars.SPA_CONFIG_PATH ?? '', JSON.stringify(localSpaConfig(env)));
  const children: ChildProcess[] = [
    'servers/idp/main.ts',
    'servers/contacts-api/main.ts',
    'servers/spa/main.ts',
  ].map((script) =>
    spawn(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, ...vars, NODE_ENV: 'production' },
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
  );
  const stop = () => stopChildren(children, dataDir);
  try {
    await waitUntilServed(`${env.idpIssuer}/.well-known/openid-configuration`, 200);
    await waitUntilServed(`${env.apiUrl}/health`, 200);
    await waitUntilServed(`${env.spaOrigin}/config.json`, 200);
  } catch (error) {
    await stop();
    throw error;
  }
  return { env, stop, control: new IdpControl(env.idpIssuer, secret) };
}

/** Renewal durations (ms) from the tab's own session log: "renewed: <trigger>, N ms, …". */
async function renewalLatencies(page: Page): Promise<number[]> {
  const lines = await page.locator('.session-log li[data-kind="renewed"]').allTextContents();
  return lines.map((line) => Number(/, (\d+) ms,/.exec(line)?.[1])).filter(Number.isFinite);
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;

async function main() {
  console.log('Building the app…');
  await build({ logLevel: 'warn' });
  const stack = await startStack();
  const { env, control } = stack;
  const user = findDemoUser(USER);
  if (!user) throw new Error(`no ${USER} demo user`);
  const choice = findBrowser();
  const browser = await chromium.launch({
    args: chromiumArgs,
    ...(choice.kind === 'system' ? { executablePath: choice.executablePath } : {}),
  });
  const loadBefore = loadavg()[0]?.toFixed(1);
  const failures: string[] = [];
  let loads = 0;
  try {
    const context = await browser.newContext();
    const first = await context.newPage();
    await first.goto(`${env.spaOrigin}/contacts`);
    await first.getByLabel('Username').fill(user.username);
    await first.getByLabel('Password').fill(user.password);
    await first.getByRole('button', { name: 'Sign in' }).click();
    const allow = first.getByRole('button', { name: 'Allow', exact: true });
    const contacts = first.locator('.contact-name').first();
    await allow.or(contacts).waitFor();
    if (await allow.isVisible()) await allow.click();
    await contacts.waitFor();
    const tabs = [first];
    for (let i = 1; i < TABS; i++) {
      const tab = await context.newPage();
      await tab.goto(`${env.spaOrigin}/contacts`);
      await tab.locator('.contact-name').first().waitFor();
      tabs.push(tab);
    }
    for (const tab of tabs) {
      tab.on('response', (r) => {
        if (r.url().startsWith(env.apiUrl) && r.status() >= 400)
          failures.push(`${r.status()} ${r.url()}`);
      });
      tab.on('requestfailed', (r) => {
        // A navigation that supersedes another cancels its fetch; the user sees nothing.
        if (r.failure()?.errorText.includes('ERR_ABORTED')) return;
        if (r.url().startsWith(env.apiUrl)) failures.push(`failed ${r.url()}`);
      });
    }
    const started = Date.now();
    console.log(`Signed in; ${TABS} tabs loading contacts in turn, ${TTL} s access tokens…`);
    while ((await control.counters(USER)).refreshes < RENEWALS) {
      for (const tab of tabs) {
        // dispatchEvent: a real click waits for animation frames, which only the front tab gets.
        await tab.getByRole('link', { name: 'Your contacts' }).dispatchEvent('click');
        await tab.locator('.contact-name').first().waitFor();
        if (await tab.getByRole('alert').count())
          failures.push(`alert in a tab: ${await tab.getByRole('alert').first().textContent()}`);
        loads += 1;
      }
    }
    const seconds = (Date.now() - started) / 1000;
    const counters = await control.counters(USER);
    const latencies = (await Promise.all(tabs.map(renewalLatencies))).flat().sort((a, b) => a - b);
    const requests = counters.refreshes + counters.tokenErrors + counters.refreshReuseDetected;
    console.log(
      `\nMachine: 2 cores, shared; load average ${loadBefore} → ${loadavg()[0]?.toFixed(1)}; Chromium ${browser.version()}`,
    );
    console.log(
      `Run: ${seconds.toFixed(0)} s, ${TABS} tabs, ${loads} page loads (API calls) from the tabs`,
    );
    console.log(`renewals (session logs): ${latencies.length}`);
    console.log(
      `failures seen by the user: ${failures.length}${failures.length ? ` (${failures.slice(0, 5).join('; ')})` : ''}`,
    );
    console.log(
      `refresh requests at the IdP: ${requests} (${counters.refreshes} ok, ${counters.tokenErrors} errors, ${counters.refreshReuseDetected} reuse) → ${(requests / latencies.length).toFixed(2)} per renewal`,
    );
    console.log(
      `renewal latency (lock + token request + validation + hand-over): median ${percentile(latencies, 0.5)} ms, p95 ${percentile(latencies, 0.95)} ms, max ${latencies[latencies.length - 1]} ms`,
    );
  } finally {
    await browser.close();
    await stack.stop();
  }
}

await main();
