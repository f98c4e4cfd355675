// The e2e environments scripts/run-e2e.ts runs, in order: each one's Playwright config, the
// Debian packages it needs (scripts/install-debian-packages.sh, pins included) and its time
// budget. Apart from the runner so a unit test can hold what they promise.
import { GLEWLWYD_PACKAGE } from '../e2e/glewlwyd/glewlwyd-version.ts';

export interface Environment {
  name: string;
  config: string;
  /** Debian packages it needs besides Node and Chromium. */
  prerequisites: string[];
  /** Its time budget on the 2-core CI machine (ROADMAP.md); exceeding it is reported, not failed. */
  budgetSeconds: number;
  /** Variables that make this environment of a shared config. */
  env?: Record<string, string>;
}

export const environments: Environment[] = [
  { name: 'core', config: 'playwright.config.ts', prerequisites: [], budgetSeconds: 360 },
  {
    name: 'tls',
    config: 'playwright.tls.config.ts',
    prerequisites: ['nginx', 'openssl'],
    budgetSeconds: 90,
  },
  // Needs the machine's PostgreSQL and Redis (README, "Prerequisites"): its global setup
  // names whichever it cannot reach.
  {
    name: 'replicas',
    config: 'playwright.replicas.config.ts',
    prerequisites: [],
    budgetSeconds: 180,
  },
  // A real Glewlwyd (e2e/glewlwyd/), with DPoP required, then with bearer tokens.
  {
    name: 'glewlwyd-dpop',
    config: 'playwright.glewlwyd.config.ts',
    prerequisites: [GLEWLWYD_PACKAGE],
    budgetSeconds: 90,
    env: { E2E_GLEWLWYD_DPOP: '1' },
  },
  {
    name: 'glewlwyd-bearer',
    config: 'playwright.glewlwyd.config.ts',
    prerequisites: [GLEWLWYD_PACKAGE],
    budgetSeconds: 90,
    env: { E2E_GLEWLWYD_DPOP: '0' },
  },
];
