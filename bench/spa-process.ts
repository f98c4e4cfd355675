// This app's production build behind its own server (immutable assets, CSP, runtime
// config), as a child process on the stack's ports; for the browser benchmarks.
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LocalEnv } from '../servers/local-env.ts';
import { localSpaConfig } from '../servers/local-spa-config.ts';

/** Polls `url` every 100 ms until it answers 2xx, at most `tries` times. */
export async function waitUntilServed(url: string, tries = 100): Promise<void> {
  for (let attempt = 0; attempt <= tries; attempt++) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100)); // polling a starting process
  }
  throw new Error(`${url} was not served`);
}

/**
 * Serves the build (dist/ unless told) at env.spaOrigin; resolves to a function that stops it.
 * `dpop: false` serves a config whose providers use plain bearer tokens.
 */
export async function startThisApp(
  env: LocalEnv,
  distDir?: string,
  { dpop = true }: { dpop?: boolean } = {},
): Promise<() => Promise<void>> {
  const configPath = path.join(env.dataDir, 'spa-config.json');
  const config = localSpaConfig(env);
  const served = dpop
    ? config
    : { ...config, providers: config.providers.map((p) => ({ ...p, dpop: false })) };
  writeFileSync(configPath, JSON.stringify(served));
  const spa: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'servers/spa/main.ts'], {
    env: {
      ...process.env,
      IDP_PORT: String(env.idpPort),
      API_PORT: String(env.apiPort),
      SPA_PORT: String(env.spaPort),
      DATA_DIR: env.dataDir,
      SPA_CONFIG_PATH: configPath,
      ...(distDir ? { SPA_DIST_DIR: distDir } : {}),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // Up to 30 s: tsx starts slowly on a loaded machine. A server that never answers is not
  // left running (it would outlive the benchmark).
  await waitUntilServed(`${env.spaOrigin}/config.json`, 300).catch((error: unknown) => {
    spa.kill('SIGTERM');
    throw error;
  });
  return () =>
    new Promise((resolve) => {
      spa.once('exit', () => resolve());
      spa.kill('SIGTERM');
    });
}
