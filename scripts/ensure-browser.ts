// Makes sure the e2e suite has a Chromium: Playwright's own, a system one, or (on Debian,
// where Playwright cannot download browsers) Debian's chromium-headless-shell package,
// installed by scripts/install-debian-packages.sh like every other prerequisite. A machine
// with only Debian's full chromium gets the headless shell too (e2e/browser.ts says why).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { debianHeadlessShell, findBrowser } from '../e2e/browser.ts';

const found = findBrowser();
const chosen = found.kind === 'playwright' || !!process.env.CHROMIUM_PATH;
if (chosen || existsSync(debianHeadlessShell)) process.exit(0);

const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
if (!hasApt) {
  if (found.kind === 'system') process.exit(0); // a full system Chromium: slower, but it runs
  console.error(
    'missing prerequisite: Chromium (install one: "npx playwright install chromium", or set CHROMIUM_PATH to a Chromium binary)',
  );
  process.exit(1);
}
const install = spawnSync(
  'bash',
  ['scripts/install-debian-packages.sh', 'chromium-headless-shell'],
  { stdio: 'inherit' },
);
// A full chromium still runs the suite, only slower; without any, the script said why.
if (install.status !== 0) process.exit(found.kind === 'system' ? 0 : 1);
if (!existsSync(debianHeadlessShell)) {
  console.error(
    `missing prerequisite: chromium-headless-shell (installed, but no binary at ${debianHeadlessShell})`,
  );
  process.exit(1);
}
