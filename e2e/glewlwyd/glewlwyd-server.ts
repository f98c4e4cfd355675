// Global setup of the glewlwyd environments: this run's Glewlwyd started on its free port
// and configured through its admin API; after the specs, stopped by its pid. (The app and
// the API are Playwright's web servers: the SPA server finds the provider's endpoints once
// it answers.)
import path from 'node:path';
import { configureGlewlwyd } from './glewlwyd-admin.ts';
import { glewlwyd, glewlwydDataDir } from './glewlwyd-env.ts';
import { startGlewlwyd } from './glewlwyd-process.ts';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const server = await startGlewlwyd({
    dir: path.join(glewlwydDataDir, 'glewlwyd'),
    port: glewlwyd.port,
  });
  try {
    await configureGlewlwyd(glewlwyd);
  } catch (error) {
    await server.stop();
    throw new Error(`${(error as Error).message} (Glewlwyd's log: ${server.logFile})`);
  }
  return () => server.stop();
}
