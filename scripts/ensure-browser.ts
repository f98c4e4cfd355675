// Makes sure the e2e suite has a Chromium: Playwright's own, a system one, or (on Debian,
// where Playwright cannot download browsers) Debian's chromium package, installed by
// scripts/install-debian-packages.sh like every other prerequisite.
import { spawnSync } from 'node:child_process';
import { findBrowser } from '../e2e/browser.ts';

if (findBrowser().kind !== 'none') process.exit(0);

const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
if (!hasApt) {
  console.error(
    'missing prerequisite: Chromium (install one: "npx playwright install chromium", or set CHROMIUM_PATH to a Chromium binary)',
  );
  process.exit(1);
}
const install = spawnSync('bash', ['scripts/install-debian-packages.sh', 'chromium'], {
  stdio: 'inherit',
});
if (install.status !== 0) process.exit(1); // the script printed the one line
if (findBrowser().kind === 'none') {
  console.error('missing prerequisite: chromium (installed, but no binary at /usr/bin/chromium)');
  process.exit(1);
}
