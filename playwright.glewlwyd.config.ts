// The glewlwyd e2e environments (scripts/run-e2e.ts: glewlwyd-dpop, then glewlwyd-bearer
// with E2E_GLEWLWYD_DPOP unset): the provider-agnostic journeys (@any-provider) and the
// Glewlwyd ones (@glewlwyd) against a real Glewlwyd 2.7 from Debian's package, which the
// global setup starts with its own SQLite file and configures; the app and the contacts API
// are the core config's web servers in external-provider mode.
import './e2e/glewlwyd/glewlwyd-env.ts'; // first: it sets what e2e-env.ts reads
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { dpop } from './e2e/glewlwyd/glewlwyd-env.ts';
import core from './playwright.config.ts';

const [chromium] = core.projects ?? [];
if (!chromium) throw new Error('playwright.config.ts has no chromium project');

export default defineConfig({
  ...core,
  outputDir: path.join(
    process.env.E2E_OUTPUT_DIR ?? 'test-results',
    dpop ? 'glewlwyd-dpop' : 'glewlwyd-bearer',
  ),
  globalSetup: './e2e/glewlwyd/glewlwyd-server.ts',
  grep: /@any-provider|@glewlwyd/,
  // One account at the provider: the journeys one after another.
  fullyParallel: false,
  workers: 1,
  projects: [{ ...chromium, testIgnore: [/[\\/]e2e[\\/](tls|replicas)[\\/]/] }],
});
