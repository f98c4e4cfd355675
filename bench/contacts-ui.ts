// Benchmark: the contacts screen for sam's 10,000 contacts, in a real Chromium against the
// real IdP, API and SPA (production build). Prints: data arrival → first rows painted,
// keystroke → filtered list painted (median, p95), JS heap after load and after scrolling
// the whole list (Chromium's Performance.getMetrics after a forced GC), the most rows ever
// in the DOM, and the gzip sizes of the JS the signed-out home page needs and of each lazy
// part (bundle-sizes.ts).
//   npm run bench:contacts-ui
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type CDPSession, chromium, type Page } from '@playwright/test';
import { build } from 'vite';
import { chromiumArgs, findBrowser } from '../e2e/browser.ts';
import { findDemoUser } from '../servers/demo-data.ts';
import { startStack } from './api-processes.ts';
import { bundleSizes } from './bundle-sizes.ts';
import { installProbes, type Probes } from './contacts-ui-probes.ts';
import { signIn } from './sign-in-page.ts';
import { startThisApp } from './spa-process.ts';

// Each round types two searches and erases them, so every round starts from the full list.
const BACK = ['Backspace', 'Backspace', 'Backspace'];
const KEYSTROKES = ['a', 'n', 'n', ...BACK, 'z', 'o', 'e', ...BACK];
const ROUNDS = Number(process.env.ROUNDS ?? 8);
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

async function heapMb(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? Number.NaN;
  return used / 2 ** 20;
}

async function measureTyping(page: Page, probes: Probes): Promise<number[]> {
  const search = page.getByRole('searchbox', { name: 'Search contacts' });
  await search.focus();
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const key of KEYSTROKES) {
      times.push(await probes.keystroke(key));
    }
  }
  return times.sort((a, b) => a - b);
}

async function main() {
  const sam = findDemoUser('sam');
  if (!sam) throw new Error('no demo user sam');
  console.log('Building the app and seeding 10,000 contacts for sam…');
  const outDir = mkdtempSync(path.join(tmpdir(), 'bench-contacts-ui-'));
  await build({ logLevel: 'warn', build: { manifest: true, outDir, emptyOutDir: true } });
  const stack = await startStack('');
  // Seeded beside the running API rather than at its start, which may take longer than
  // startStack waits on a busy machine.
  await promisify(execFile)('npx', ['tsx', 'servers/contacts-api/seed-scale-cli.ts', 'sam'], {
    env: {
      ...process.env,
      DATA_DIR: stack.env.dataDir,
      IDP_PORT: String(stack.env.idpPort),
      API_PORT: String(stack.env.apiPort),
    },
  });
  const stopSpa = await startThisApp(stack.env, outDir);
  const choice = findBrowser();
  const browser = await chromium.launch({
    args: chromiumArgs,
    ...(choice.kind === 'system' ? { executablePath: choice.executablePath } : {}),
  });
  const loadBefore = loadavg()[0]?.toFixed(1);
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const probes = await installProbes(page, stack.env.apiUrl);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await signIn(page, stack.env.spaOrigin, sam);
    const total = await probes.waitForAllContacts();
    const arrival = await probes.firstRowsAfterData();
    const heapLoaded = await heapMb(cdp);
    const typing = await measureTyping(page, probes);
    await page.getByRole('searchbox', { name: 'Search contacts' }).fill('');
    const maxRows = await probes.scrollToEnd();
    const heapScrolled = await heapMb(cdp);

    console.log(
      `\nsam: ${total} contacts; Chromium ${browser.version()}; load average ${loadBefore} → ${loadavg()[0]?.toFixed(1)}`,
    );
    console.log(
      `First page (200) arrived → first rows painted: ${arrival.firstPage.toFixed(1)} ms`,
    );
    console.log(`Last page arrived → full list painted: ${arrival.lastPage.toFixed(1)} ms`);
    console.log(
      `Keystroke → filtered list painted (${typing.length} keystrokes): median ${percentile(typing, 50).toFixed(1)} ms, p95 ${percentile(typing, 95).toFixed(1)} ms, max ${typing[typing.length - 1]?.toFixed(1)} ms`,
    );
    console.log(
      `JS heap used: ${heapLoaded.toFixed(1)} MB after load, ${heapScrolled.toFixed(1)} MB after scrolling all ${total} (most rows in the DOM: ${maxRows})`,
    );
    bundleSizes(outDir);
  } finally {
    await browser.close();
    await stopSpa();
    await stack.stop();
  }
}

await main();
