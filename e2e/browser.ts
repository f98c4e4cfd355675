// Which Chromium the e2e suite drives: Playwright's own where it is installed (most
// developer machines), else a system Chromium (Debian's packages on CI, where Playwright
// cannot download browsers). Of the system ones, the headless shell comes first: it is what
// Playwright itself runs headless, and the full browser's "new headless" mode cost the core
// environment about a third more time and CPU per test (measured: one spec, 72 s vs 50 s).
// A headed run (--headed, --debug) needs the full one: CHROMIUM_PATH=/usr/bin/chromium.
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/** Debian's headless-only build of the same Chromium (package chromium-headless-shell). */
export const debianHeadlessShell = '/usr/bin/chromium-headless-shell';

const systemChromiums = [
  debianHeadlessShell,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
];

/** Flags that keep a system Chromium quiet and working as root in a closed network. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type BrowserChoice =
  | { kind: 'playwright' }
  | { kind: 'system'; executablePath: string }
  | { kind: 'none' };

export function findBrowser(): BrowserChoice {
  const override = process.env.CHROMIUM_PATH;
  if (override) return { kind: 'system', executablePath: override };
  try {
    if (existsSync(chromium.executablePath())) return { kind: 'playwright' };
  } catch {
    // Playwright has no browser of its own here.
  }
  const system = systemChromiums.find((candidate) => existsSync(candidate));
  return system ? { kind: 'system', executablePath: system } : { kind: 'none' };
}
