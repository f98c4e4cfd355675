// Benchmark: the request waterfall from the provider's redirect to /callback until the
// user's contacts are on screen, in a real Chromium against the real IdP, API and SPA.
// Prints every request on that path, the number of sequential round trips (the longest
// chain of requests each starting after the previous one finished) and the time.
//   npm run bench:sign-in
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { type CDPSession, chromium } from '@playwright/test';
import { chromiumArgs, findBrowser } from '../e2e/browser.ts';
import { findDemoUser } from '../servers/demo-data.ts';
import { localSpaConfig } from '../servers/local-spa-config.ts';
import { startStack } from './api-processes.ts';

const RUNS = Number(process.env.RUNS ?? 7);

interface Timed {
  id: string;
  url: string;
  method: string;
  type: string;
  start: number;
  end: number;
  fromCache: boolean;
}

/** Collects network timings from Chromium itself, preflights included. */
async function recordNetwork(cdp: CDPSession): Promise<Map<string, Timed>> {
  const requests = new Map<string, Timed>();
  await cdp.send('Network.enable');
  cdp.on('Network.requestWillBeSent', (event) => {
    // Redirect hops reuse the id; the last hop is what the page waited for.
    requests.set(event.requestId, {
      id: event.requestId,
      url: event.request.url,
      method: event.request.method,
      type: event.type ?? 'Other',
      start: event.timestamp * 1000,
      end: Number.NaN,
      fromCache: false,
    });
  });
  cdp.on('Network.requestServedFromCache', (event) => {
    const request = requests.get(event.requestId);
    if (request) request.fromCache = true;
  });
  cdp.on('Network.responseReceived', (event) => {
    const request = requests.get(event.requestId);
    if (request && event.response.fromDiskCache) request.fromCache = true;
  });
  cdp.on('Network.loadingFinished', (event) => {
    const request = requests.get(event.requestId);
    if (request) request.end = event.timestamp * 1000;
  });
  cdp.on('Network.loadingFailed', (event) => {
    const request = requests.get(event.requestId);
    if (request) request.end = event.timestamp * 1000;
  });
  return requests;
}

/**
 * Round trips on the critical path: the longest chain of requests, each starting after the
 * previous one finished, that ends with the contacts GET. A CORS preflight counts as its own
 * round trip: the GET it guards leaves only when the preflight has answered.
 */
function sequentialDepth(requests: Timed[], target: Timed): number {
  const preflight = requests.find((r) => r.method === 'OPTIONS' && r.url === target.url);
  const effectiveStart = (r: Timed) =>
    r === target && preflight ? Math.max(r.start, preflight.end) : r.start;
  const sorted = [...requests].sort((a, b) => a.end - b.end);
  const depth = new Map<Timed, number>();
  for (const request of sorted) {
    const start = effectiveStart(request);
    const before = sorted.filter(
      (other) => other !== request && other.end <= start && depth.has(other),
    );
    depth.set(request, 1 + Math.max(0, ...before.map((other) => depth.get(other) ?? 0)));
  }
  return depth.get(target) ?? 0;
}

async function main() {
  console.log('Building the SPA…');
  const { build } = await import('vite');
  await build({ logLevel: 'warn' });

  const stack = await startStack('');
  const env = stack.env;
  const configPath = path.join(env.dataDir, 'spa-config.json');
  writeFileSync(configPath, JSON.stringify(localSpaConfig(env)));
  const spa = spawn(process.execPath, ['--import', 'tsx', 'servers/spa/main.ts'], {
    env: {
      ...process.env,
      IDP_PORT: String(env.idpPort),
      API_PORT: String(env.apiPort),
      SPA_PORT: String(env.spaPort),
      DATA_DIR: env.dataDir,
      SPA_CONFIG_PATH: configPath,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const browserChoice = findBrowser();
  const browser = await chromium.launch({
    args: chromiumArgs,
    ...(browserChoice.kind === 'system' ? { executablePath: browserChoice.executablePath } : {}),
  });
  const user = findDemoUser('worker1');
  if (!user) throw new Error('no worker1 demo user');
  try {
    for (let tries = 0; ; tries++) {
      const ok = await fetch(`${env.spaOrigin}/config.json`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (tries > 100) throw new Error('the SPA server did not start');
      await new Promise((resolve) => setTimeout(resolve, 100)); // polling a starting process
    }
    const results: { depth: number; ms: number; requests: Timed[] }[] = [];
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      // Marks when the first contact is painted, on the page's own clock.
      await page.addInitScript(() => {
        const observer = new MutationObserver(() => {
          if (document.querySelector('.contact-name')) {
            (window as unknown as { contactsShownAt: number }).contactsShownAt = performance.now();
            observer.disconnect();
          }
        });
        document.addEventListener('DOMContentLoaded', () =>
          observer.observe(document.body, { childList: true, subtree: true }),
        );
      });
      await page.goto(env.spaOrigin);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByLabel('Username').fill(user.username);
      await page.getByLabel('Password').fill(user.password);
      const cdp = await context.newCDPSession(page);
      const network = await recordNetwork(cdp);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const allow = page.getByRole('button', { name: 'Allow', exact: true });
      const contacts = page.locator('.contact-name').first();
      await allow.or(contacts).waitFor();
      if (await allow.isVisible()) await allow.click();
      await contacts.waitFor();
      const shownAt = await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        return (window as unknown as { contactsShownAt: number }).contactsShownAt - nav.fetchStart;
      });
      const all = [...network.values()];
      const callback = all.find((r) => r.url.startsWith(`${env.spaOrigin}/callback`));
      if (!callback) throw new Error('no callback document request recorded');
      const onPath = all.filter(
        (r) =>
          r.start >= callback.start &&
          !r.fromCache &&
          Number.isFinite(r.end) &&
          // The tab icon is fetched beside the app; nothing waits for it.
          !r.url.endsWith('/favicon.svg'),
      );
      const contactsGet = onPath.find(
        (r) => r.method === 'GET' && r.url.startsWith(`${env.apiUrl}/contacts`),
      );
      if (!contactsGet) throw new Error('no contacts request recorded');
      results.push({ depth: sequentialDepth(onPath, contactsGet), ms: shownAt, requests: onPath });
      await context.close();
    }

    const sample = results[results.length - 1];
    if (!sample) return;
    const origin = Math.min(...sample.requests.map((r) => r.start));
    console.log('\nWaterfall of the last run (ms from the callback request):');
    for (const r of [...sample.requests].sort((a, b) => a.start - b.start)) {
      const url = new URL(r.url);
      const where = `${url.origin === env.spaOrigin ? 'SPA' : url.origin === env.idpIssuer ? 'IdP' : 'API'} ${url.pathname}`;
      console.log(
        `  ${String(Math.round(r.start - origin)).padStart(5)} → ${String(Math.round(r.end - origin)).padStart(5)}  ${r.method.padEnd(7)} ${r.type.padEnd(10)} ${where}`,
      );
    }
    const ms = results.map((r) => r.ms).sort((a, b) => a - b);
    const depths = results.map((r) => r.depth);
    const median = ms[Math.floor(ms.length / 2)] ?? Number.NaN;
    console.log(`\nRuns: ${RUNS}, user ${user.username}, Chromium ${browser.version()}`);
    console.log(
      `Sequential round trips (callback → contacts): ${Math.min(...depths)}–${Math.max(...depths)}`,
    );
    console.log(
      `Callback document fetch → first contact painted: median ${median.toFixed(0)} ms, min ${ms[0]?.toFixed(0)} ms, max ${ms[ms.length - 1]?.toFixed(0)} ms`,
    );
  } finally {
    await browser.close();
    spa.kill('SIGTERM');
    await stack.stop();
  }
}

await main();
