// Ports, URLs and the data folder of the e2e run. Distinct from `npm start`'s defaults so
// tests can run while the app is up. Shared by playwright.config.ts and the fixtures.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readLocalEnv } from '../servers/local-env.ts';

// Set once in the runner; its workers inherit the environment, so all use one folder.
process.env.E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), 'oidc-contacts-e2e-'));

export const serverEnv = {
  IDP_PORT: process.env.E2E_IDP_PORT ?? '4100',
  API_PORT: process.env.E2E_API_PORT ?? '4101',
  SPA_PORT: process.env.E2E_SPA_PORT ?? '5273',
  DATA_DIR: process.env.E2E_DATA_DIR,
  // Short lifetimes so renewal is exercised without waiting long.
  ACCESS_TOKEN_TTL: process.env.E2E_ACCESS_TOKEN_TTL ?? '120',
};

export const e2eEnv = readLocalEnv(serverEnv);
export const spaConfigPath = path.join(e2eEnv.dataDir, 'spa-config.json');
