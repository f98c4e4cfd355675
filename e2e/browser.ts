// Which Chromium the e2e suite drives: Playwright's own where it is installed (most
// developer machines), else a system Chromium (Debian's package on CI, where Playwright
// cannot download browsers).
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

const systemChromiums = [
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
