// `npm run test:e2e`: one Playwright config per environment, in sequence, each with its own
// ports and data folder, printing each one's time. `npm run test:e2e -- tls` runs only the
// named environments; arguments after `--` go to Playwright (`-- core -- --grep sign-in`).
// Prerequisites beyond Node and Chromium come from scripts/install-debian-packages.sh: one
// that is missing and cannot be installed fails that environment with one line naming it.
import { spawnSync } from 'node:child_process';
import { environments } from './e2e-environments.ts';

const args = process.argv.slice(2);
const split = args.indexOf('--');
const names = split === -1 ? args : args.slice(0, split);
const playwrightArgs = split === -1 ? [] : args.slice(split + 1);
const unknown = names.filter((name) => !environments.some((env) => env.name === name));
if (unknown.length > 0) {
  console.error(
    `e2e: no environment named ${unknown.join(', ')} (have: ${environments.map((e) => e.name).join(', ')})`,
  );
  process.exit(2);
}
const chosen =
  names.length === 0 ? environments : environments.filter((e) => names.includes(e.name));

const results: { name: string; outcome: string; seconds: number; budgetSeconds: number }[] = [];
const timing = (seconds: number, budgetSeconds: number) =>
  `${seconds.toFixed(1)} s (budget ${budgetSeconds} s${seconds > budgetSeconds ? ': OVER' : ''})`;
for (const env of chosen) {
  const started = performance.now();
  let outcome = 'passed';
  if (env.prerequisites.length > 0) {
    const script = 'scripts/install-debian-packages.sh';
    const install = spawnSync('bash', [script, ...env.prerequisites], { stdio: 'inherit' });
    if (install.status !== 0) outcome = 'failed (missing prerequisite)';
  }
  if (outcome === 'passed') {
    console.log(`\ne2e ${env.name}: playwright test -c ${env.config}`);
    const run = spawnSync('npx', ['playwright', 'test', '-c', env.config, ...playwrightArgs], {
      stdio: 'inherit',
      env: { ...process.env, ...env.env },
    });
    if (run.status !== 0) outcome = `failed (exit code ${run.status ?? run.signal})`;
  }
  const seconds = (performance.now() - started) / 1000;
  results.push({ name: env.name, outcome, seconds, budgetSeconds: env.budgetSeconds });
  console.log(`e2e ${env.name}: ${outcome} in ${timing(seconds, env.budgetSeconds)}`);
}

console.log('\ne2e environments:');
for (const { name, outcome, seconds, budgetSeconds } of results) {
  console.log(`  ${name.padEnd(15)} ${outcome} in ${timing(seconds, budgetSeconds)}`);
}
process.exit(results.every((result) => result.outcome === 'passed') ? 0 : 1);
