// The mutation gate over the security core (TESTING.md): StrykerJS mutates one module at a
// time and runs only that module's fast unit tests (vitest.mutation.config.ts), then prints
// the share of mutants killed per module and fails when one is under the target.
// Usage: npm run test:mutation [-- module-name ...]. Nothing is kept between runs (no
// incremental file): every run measures the code as it is.
import { Stryker } from '@stryker-mutator/core';
import {
  type SecurityModule,
  securityModules,
  MUTATION_TARGET_PERCENT as TARGET_PERCENT,
} from './security-modules.ts';

type MutantResult = Awaited<ReturnType<Stryker['runMutationTest']>>[number];

interface Score {
  name: string;
  killed: number;
  survived: number;
  noCoverage: number;
  timedOut: number;
  /** Mutants a `Stryker disable` comment turns off (TESTING.md lists each with its reason). */
  ignored: number;
  other: number;
  percent: number;
  seconds: number;
}

function scoreOf(name: string, results: MutantResult[], seconds: number): Score {
  const count = (...statuses: MutantResult['status'][]) =>
    results.filter((result) => statuses.includes(result.status)).length;
  const killed = count('Killed');
  const timedOut = count('Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const valid = killed + timedOut + survived + noCoverage;
  return {
    name,
    killed,
    survived,
    noCoverage,
    timedOut,
    ignored: count('Ignored'),
    other: results.length - valid - count('Ignored'),
    // Stryker's mutation score: a timeout counts as killed (the mutant hung the tests).
    percent: valid === 0 ? 100 : (100 * (killed + timedOut)) / valid,
    seconds,
  };
}

async function runModule(module: SecurityModule): Promise<Score> {
  // Read by vitest.mutation.config.ts in the test runner processes Stryker starts.
  process.env.MUTATION_TESTS = module.tests.join(',');
  process.env.MUTATION_ENVIRONMENT = module.environment;
  const started = performance.now();
  const stryker = new Stryker({
    mutate: module.mutate,
    testRunner: 'vitest',
    plugins: ['@stryker-mutator/vitest-runner'],
    vitest: { configFile: 'vitest.mutation.config.ts', related: false },
    coverageAnalysis: 'perTest',
    // Stryker sets the exit code to 1 when the module's score is under the target.
    thresholds: { high: 95, low: TARGET_PERCENT, break: TARGET_PERCENT },
    concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 2),
    incremental: false,
    ignoreStatic: true,
    timeoutMS: 10_000,
    // Type annotations are not checked in the sandbox: no TypeScript checker plugin exists
    // for the native TypeScript 7 compiler, and a mutant that would not compile is rare here.
    disableTypeChecks: '{src,servers}/**/*.{ts,tsx}',
    // Stryker rewrites the project's tsconfig in its sandbox with the classic TypeScript
    // compiler API, which TypeScript 7 no longer has; a name that matches no file skips that
    // (the sandbox keeps the same relative paths, so nothing needs rewriting).
    tsconfigFile: 'tsconfig.none.json',
    tempDirName: '.stryker-tmp',
    cleanTempDir: 'always',
    ignorePatterns: [
      'dist',
      'e2e',
      'bench',
      'docs',
      '.data',
      'test-results',
      'playwright-report',
      'blob-report',
      'coverage',
    ],
    reporters: ['clear-text'],
    clearTextReporter: {
      allowColor: false,
      allowEmojis: false,
      logTests: false,
      reportScoreTable: false,
    },
  });
  const results = await stryker.runMutationTest();
  return scoreOf(module.name, results, (performance.now() - started) / 1000);
}

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !securityModules.some((m) => m.name === name));
if (unknown.length > 0) {
  console.error(
    `unknown module(s): ${unknown.join(', ')}; known: ${securityModules.map((m) => m.name).join(', ')}`,
  );
  process.exit(2);
}
const chosen = securityModules.filter((m) => wanted.length === 0 || wanted.includes(m.name));
const scores: Score[] = [];
for (const module of chosen) {
  console.log(`\n== ${module.name}: ${module.mutate.join(', ')}`);
  scores.push(await runModule(module));
}

console.log(
  '\nmodule                        killed  survived  no-cov  timeout  ignored   score   time',
);
for (const s of scores) {
  console.log(
    `${s.name.padEnd(30)}${String(s.killed).padStart(6)}${String(s.survived).padStart(10)}${String(s.noCoverage).padStart(8)}${String(s.timedOut).padStart(9)}${String(s.ignored).padStart(9)}${`${s.percent.toFixed(1)} %`.padStart(9)}${`${Math.round(s.seconds)} s`.padStart(7)}`,
  );
}
const total = scores.reduce((sum, s) => sum + s.seconds, 0);
console.log(`all ${scores.length} module(s): ${Math.round(total)} s`);
const below = scores.filter((s) => s.percent < TARGET_PERCENT);
if (below.length > 0) {
  console.error(`\nunder ${TARGET_PERCENT} % killed: ${below.map((s) => s.name).join(', ')}`);
  process.exitCode = 1;
}
