// Benchmark: importing 10,000 contacts (a vCard file, then a CSV file) through
// /contacts/transfer, in a real Chromium against the real IdP, API and SPA (production build).
// Prints, per file: file chosen → preview shown, Import clicked → report shown, and the
// main thread's long tasks (> 50 ms, PerformanceObserver 'longtask') over the whole of it:
// how many, the longest, their sum. Runs only when the load average is under 1.5 (a busy
// machine measures the others), and under the heavy-work lock when started as documented:
//   flock /tmp/oidc-heavy.lock npx tsx bench/contacts-import.ts
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { build } from 'vite';
import { chromiumArgs, findBrowser } from '../e2e/browser.ts';
import { findDemoUser } from '../servers/demo-data.ts';
import { startStack } from './api-processes.ts';
import { signIn } from './sign-in-page.ts';
import { startThisApp } from './spa-process.ts';

const COUNT = Number(process.env.CONTACTS ?? 10_000);
const MAX_LOAD = 1.5;
const SCRIPTS = [
  'Zoë Ødegård',
  '山田 太郎',
  'محمد علي',
  'Ἀριστοτέλης',
  'Émile Zola',
  'Ada Lovelace',
];

function vcardFile(tag: string): string {
  const cards: string[] = [];
  for (let i = 0; i < COUNT; i += 1) {
    cards.push(
      [
        'BEGIN:VCARD',
        'VERSION:3.0',
        `FN:${SCRIPTS[i % SCRIPTS.length]} ${tag} ${i}`,
        `EMAIL;TYPE=INTERNET:p${i}.${tag}@example.org`,
        `TEL;TYPE=CELL:+44 20 7946 ${String(i).padStart(4, '0')}`,
        'ORG:Fjord AS;Sales',
        `NOTE:Imported for the benchmark\\, card ${i}`,
        'END:VCARD',
      ].join('\r\n'),
    );
  }
  return `${cards.join('\r\n')}\r\n`;
}

function csvFile(tag: string): string {
  const rows = ['First Name,Last Name,E-mail Address,Mobile Phone,Company,Notes'];
  for (let i = 0; i < COUNT; i += 1) {
    rows.push(
      `${SCRIPTS[i % SCRIPTS.length]},${tag} ${i},c${i}.${tag}@example.org,+33 6 12 ${String(i).padStart(6, '0')},Fjord AS,"two\nlines"`,
    );
  }
  return `${rows.join('\r\n')}\r\n`;
}

async function signInWithEditing(
  page: Page,
  origin: string,
  user: { username: string; password: string },
) {
  await signIn(page, origin, user);
  const allow = page.getByRole('button', { name: 'Allow', exact: true });
  await page
    .getByRole('button', { name: /allow editing/i })
    .first()
    .click();
  await allow.or(page.getByRole('link', { name: 'New contact' })).waitFor();
  if (await allow.isVisible()) await allow.click();
  await page.getByRole('link', { name: 'New contact' }).waitFor();
}

interface LongTasks {
  count: number;
  longest: number;
  total: number;
}

async function longTasksSince(page: Page, start: number): Promise<LongTasks> {
  return page.evaluate((since) => {
    const tasks = (
      (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks ??
      []
    ).filter((t) => t.start >= since);
    return {
      count: tasks.length,
      longest: Math.max(0, ...tasks.map((t) => t.duration)),
      total: tasks.reduce((sum, t) => sum + t.duration, 0),
    };
  }, start);
}

async function importOnce(page: Page, name: string, text: string) {
  await page.getByRole('link', { name: 'Import or export' }).click();
  const input = page.getByLabel('Choose a vCard or CSV file');
  await input.waitFor({ state: 'attached' });
  const start = await page.evaluate(() => performance.now());
  const t0 = Date.now();
  await input.setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });
  const button = page.getByRole('button', { name: /^Import [\d,]+ contacts$/ });
  await button.waitFor({ timeout: 120_000 });
  const preview = Date.now() - t0;
  const t1 = Date.now();
  await button.click();
  await page.getByText(/added, .* already there/).waitFor({ timeout: 600_000 });
  const imported = Date.now() - t1;
  const report = await page.getByText(/added, .* already there/).textContent();
  const tasks = await longTasksSince(page, start);
  await page.getByRole('button', { name: 'Import another file' }).click();
  return { preview, imported, report, tasks, bytes: Buffer.byteLength(text) };
}

async function main() {
  const load = loadavg()[0] ?? 0;
  if (load >= MAX_LOAD) {
    console.log(
      `load average ${load.toFixed(2)} ≥ ${MAX_LOAD}: not measuring (it would measure the others)`,
    );
    process.exitCode = 2;
    return;
  }
  const user = findDemoUser('alice');
  if (!user) throw new Error('no demo user alice');
  const outDir = mkdtempSync(path.join(tmpdir(), 'bench-contacts-import-'));
  await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const stack = await startStack('');
  const stopSpa = await startThisApp(stack.env, outDir);
  const choice = findBrowser();
  const browser = await chromium.launch({
    args: chromiumArgs,
    ...(choice.kind === 'system' ? { executablePath: choice.executablePath } : {}),
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(() => {
      const tasks: { start: number; duration: number }[] = [];
      (window as unknown as { __longTasks: typeof tasks }).__longTasks = tasks;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    const page = await context.newPage();
    await signInWithEditing(page, stack.env.spaOrigin, user);
    const tag = `b${Date.now().toString(36)}`;
    console.log(
      `\n${COUNT} contacts per file; Chromium ${browser.version()}; load average ${load.toFixed(2)} at start`,
    );
    for (const [name, text] of [
      [`${tag}.vcf`, vcardFile(tag)],
      [`${tag}.csv`, csvFile(tag)],
    ] as const) {
      const r = await importOnce(page, name, text);
      console.log(
        `${name.endsWith('.vcf') ? 'vCard 3.0' : 'CSV     '} (${(r.bytes / 1024 / 1024).toFixed(1)} MB): chosen → preview ${r.preview} ms; Import → report ${r.imported} ms (${r.report}); long tasks: ${r.tasks.count}, longest ${r.tasks.longest.toFixed(0)} ms, sum ${r.tasks.total.toFixed(0)} ms`,
      );
    }
    console.log(`load average at the end ${loadavg()[0]?.toFixed(2)}`);
  } finally {
    await browser.close();
    await stopSpa();
    await stack.stop();
  }
}

await main();
