// Makes sure the e2e suite has a Chromium: Playwright's own, a system one, or (as root on
// Debian, where Playwright cannot download browsers) Debian's chromium package.
import { spawnSync } from 'node:child_process';
import { findBrowser } from '../e2e/browser.ts';

const found = findBrowser();
if (found.kind !== 'none') {
  process.exit(0);
}

const isRoot = process.getuid?.() === 0;
const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
if (!isRoot || !hasApt) {
  console.error(
    'No Chromium for the end-to-end tests. Install one: "npx playwright install chromium", or ' +
      '"apt-get install chromium" (Debian), or set CHROMIUM_PATH to a Chromium binary.',
  );
  process.exit(1);
}

console.log("No Chromium found; installing Debian's chromium package…");
for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
  const result = spawnSync('apt-get', args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status !== 0) {
    console.error(`apt-get ${args.join(' ')} failed (exit code ${result.status})`);
    process.exit(1);
  }
}
if (findBrowser().kind === 'none') {
  console.error('chromium was installed but no binary was found at /usr/bin/chromium');
  process.exit(1);
}
