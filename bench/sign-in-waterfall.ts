// Benchmark: the request waterfall from the provider's redirect to /callback until the
// user's contacts are on screen, in a real Chromium against the real IdP and API. It runs
// this app (DPoP on, as configured for the local IdP), the same app with DPoP off, and the
// plainest react-oidc-context app (bench/reference-app, served as a plain static host would),
// alternating run by run on the same origin, and prints each one's requests, sequential
// round trips and time.
//   npm run bench:sign-in        (RUNS=7 per variant by default; SCENARIO=first|returning;
//                                 SPLIT_CPUS=1: browser and servers on separate cores;
//                                 LATENCY_MS=40: that much round-trip latency on every
//                                 request the browser sends, as on a real network;
//                                 COMPARE_REV=<commit>: that commit's build of this app too,
//                                 alternating with the others, for a before/after)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, chromium } from '@playwright/test';
import react from '@vitejs/plugin-react';
import { build } from 'vite';
import { chromiumArgs, findBrowser } from '../e2e/browser.ts';
import { findDemoUser } from '../servers/demo-data.ts';
import type { LocalEnv } from '../servers/local-env.ts';
import { startStack } from './api-processes.ts';
import { splitCpus } from './cpu-split.ts';
import { serveReferenceApp } from './reference-app/serve.ts';
import { startThisApp } from './spa-process.ts';
import { type Measured, measureSignIn } from './waterfall.ts';

const RUNS = Number(process.env.RUNS ?? 7);
const LATENCY_MS = Number(process.env.LATENCY_MS ?? 0);
const COMPARE_REV = process.env.COMPARE_REV;

/**
 * This app as another commit builds it (a temporary worktree sharing these node_modules, so
 * the lockfile must be the same): the "before" of a before/after in one run.
 */
function buildRevision(rev: string): string {
  const tree = mkdtempSync(path.join(tmpdir(), 'bench-rev-'));
  const outDir = mkdtempSync(path.join(tmpdir(), 'bench-rev-dist-'));
  execFileSync('git', ['worktree', 'add', '--detach', '--force', tree, rev], { stdio: 'ignore' });
  try {
    symlinkSync(path.resolve('node_modules'), path.join(tree, 'node_modules'), 'dir');
    const vite = path.resolve('node_modules/vite/bin/vite.js');
    const args = [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'];
    execFileSync(process.execPath, args, { cwd: tree, stdio: 'inherit' });
  } finally {
    execFileSync('git', ['worktree', 'remove', '--force', tree], { stdio: 'ignore' });
    rmSync(tree, { recursive: true, force: true });
  }
  return outDir;
}

async function buildReferenceApp(env: LocalEnv): Promise<string> {
  const outDir = path.join(env.dataDir, 'reference-app');
  await build({
    configFile: false,
    root: 'bench/reference-app',
    plugins: [react()],
    logLevel: 'warn',
    define: {
      REFERENCE_ISSUER: JSON.stringify(env.idpIssuer),
      REFERENCE_API: JSON.stringify(env.apiUrl),
    },
    build: { outDir, emptyOutDir: true, target: 'es2022' },
  });
  return outDir;
}

async function measure(browser: Browser, env: LocalEnv, returning: boolean): Promise<Measured> {
  const user = findDemoUser('worker1');
  if (!user) throw new Error('no worker1 demo user');
  const context = await browser.newContext();
  try {
    const target = { origin: env.spaOrigin, apiUrl: env.apiUrl, user };
    return await measureSignIn(context, target, { returning, latencyMs: LATENCY_MS });
  } finally {
    await context.close();
  }
}

const SCENARIOS = [
  { returning: false, title: 'First visit: a fresh browser profile (nothing cached)' },
  {
    returning: true,
    title: 'Returning user: the profile signed in before, then its session was cleared',
  },
];

const medianOf = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

function report(label: string, results: Measured[], env: LocalEnv): number {
  const sample = results[results.length - 1];
  if (!sample) return Number.NaN;
  const origin = Math.min(...sample.requests.map((r) => r.start));
  console.log(`\n${label}: waterfall of the last run (ms from the callback request)`);
  for (const r of [...sample.requests].sort((a, b) => a.start - b.start)) {
    const url = new URL(r.url);
    const where = `${url.origin === env.spaOrigin ? 'SPA' : url.origin === env.idpIssuer ? 'IdP' : 'API'} ${url.pathname}`;
    console.log(
      `  ${String(Math.round(r.start - origin)).padStart(5)} → ${String(Math.round(r.end - origin)).padStart(5)}  ${r.method.padEnd(7)} ${r.type.padEnd(10)} ${where}`,
    );
  }
  // Where the time goes: each mark's median over the runs (the app's own `app:` marks).
  const names = [...new Set(results.flatMap((r) => Object.keys(r.marks)))];
  const timeline = names
    .map((name) => ({ name, at: medianOf(results.flatMap((r) => r.marks[name] ?? [])) }))
    .sort((a, b) => a.at - b.at);
  console.log('  marks, median ms from the callback fetch start:');
  for (const { name, at } of timeline) console.log(`    ${String(at).padStart(5)}  ${name}`);
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  const depths = results.map((r) => r.depth);
  const median = medianOf(ms);
  console.log(
    `  sequential round trips (callback → contacts): ${Math.min(...depths)}–${Math.max(...depths)}`,
  );
  console.log(
    `  callback document fetch → first contact painted: median ${median.toFixed(0)} ms, min ${ms[0]?.toFixed(0)} ms, max ${ms[ms.length - 1]?.toFixed(0)} ms`,
  );
  return median;
}

async function main() {
  console.log('Building this app…');
  // Built into a folder of its own: an e2e run serving dist/ meanwhile is not disturbed.
  const thisAppDir = mkdtempSync(path.join(tmpdir(), 'bench-sign-in-'));
  await build({ logLevel: 'warn', build: { outDir: thisAppDir, emptyOutDir: true } });
  const compareDir = COMPARE_REV ? buildRevision(COMPARE_REV) : undefined;
  const stack = await startStack('');
  const env = stack.env;
  const referenceRoot = await buildReferenceApp(env);
  const browserChoice = findBrowser();
  const browser = await chromium.launch({
    args: chromiumArgs,
    ...(browserChoice.kind === 'system' ? { executablePath: browserChoice.executablePath } : {}),
  });
  if (process.env.SPLIT_CPUS) splitCpus();
  try {
    const only = process.env.SCENARIO; // 'first' or 'returning': one scenario only
    for (const { returning, title } of SCENARIOS) {
      if (only && only !== (returning ? 'returning' : 'first')) continue;
      const load = loadavg()[0]?.toFixed(1);
      const ours: Measured[] = [];
      const oursBearer: Measured[] = [];
      const reference: Measured[] = [];
      const compared: Measured[] = [];
      const variants: { results: Measured[]; serve: () => Promise<() => Promise<void>> }[] = [
        { results: ours, serve: () => startThisApp(env, thisAppDir) },
        // The same app with DPoP off: what sender-constraining costs on this path.
        { results: oursBearer, serve: () => startThisApp(env, thisAppDir, { dpop: false }) },
        { results: reference, serve: () => serveReferenceApp(referenceRoot, env.spaPort) },
        ...(compareDir ? [{ results: compared, serve: () => startThisApp(env, compareDir) }] : []),
      ];
      // Alternating run by run, so a change in the machine's load hits all alike, and each
      // run starts with the next variant, so none always comes first (or after the same one).
      for (let run = 0; run < RUNS; run++) {
        for (let i = 0; i < variants.length; i++) {
          const variant = variants[(run + i) % variants.length];
          if (!variant) continue;
          const stop = await variant.serve();
          variant.results.push(await measure(browser, env, returning));
          await stop();
        }
      }
      console.log(`\n## ${title}`);
      console.log(
        `Runs: ${RUNS} per variant, alternating; user worker1; Chromium ${browser.version()}; ${LATENCY_MS ? `${LATENCY_MS} ms latency per request; ` : ''}load average ${load} → ${loadavg()[0]?.toFixed(1)}`,
      );
      const oursMedian = report('This app (DPoP, as configured for the local IdP)', ours, env);
      const bearerMedian = report('This app with DPoP off (bearer tokens)', oursBearer, env);
      const referenceMedian = report('Plain react-oidc-context app (reference)', reference, env);
      const percent = (ms: number) => `${((ms / referenceMedian) * 100).toFixed(0)} %`;
      console.log(
        `\nMedian time as a share of the reference's: this app ${percent(oursMedian)}, with DPoP off ${percent(bearerMedian)}.`,
      );
      if (compareDir) {
        const comparedMedian = report(`This app at ${COMPARE_REV} (DPoP)`, compared, env);
        console.log(
          `This app at ${COMPARE_REV}: ${percent(comparedMedian)} of the reference's; this tree takes ${((oursMedian / comparedMedian) * 100).toFixed(0)} % of its time.`,
        );
      }
    }
  } finally {
    await browser.close();
    await stack.stop();
  }
}

await main();
