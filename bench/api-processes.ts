// Starts the real test IdP and contacts API as child processes (as `npm start` does), on
// free ports with a temp data folder, so the benchmark's load generator has a core of its
// own instead of competing with the server inside one event loop.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type LocalEnv, readLocalEnv } from '../servers/local-env.ts';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitFor(url: string, child: ChildProcess, name: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200)); // polling a starting process
  }
  throw new Error(`${name} did not answer at ${url}`);
}

export interface Stack {
  env: LocalEnv;
  /** SIGTERM to both, resolved once they have exited (so the next run has the CPU). */
  stop(): Promise<void>;
}

export async function startStack(
  scaleUser: string,
  apiEnv: Record<string, string> = {},
): Promise<Stack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-api-'));
  const vars: Record<string, string> = {
    IDP_PORT: String(await freePort()),
    API_PORT: String(await freePort()),
    SPA_PORT: String(await freePort()),
    DATA_DIR: dataDir,
    ACCESS_TOKEN_TTL: '3600', // one token for the whole run
    SEED_SCALE_CONTACTS: scaleUser,
  };
  const env = readLocalEnv(vars);
  const children: ChildProcess[] = [];
  const start = (
    script: string,
    nodeArgs: string[] = [],
    extraEnv: Record<string, string> = {},
  ) => {
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], {
      env: { ...process.env, ...vars, ...extraEnv, NODE_ENV: 'production' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    return child;
  };
  const stop = async () => {
    const exited = children.map((child) =>
      child.exitCode !== null || child.signalCode !== null
        ? Promise.resolve()
        : new Promise<void>((resolve) => child.once('exit', () => resolve())),
    );
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(exited);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const idp = start('servers/idp/main.ts');
    // BENCH_API_NODE_ARGS: extra Node flags for the API only (e.g. `--cpu-prof`).
    const apiArgs = process.env.BENCH_API_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const api = start('servers/contacts-api/main.ts', apiArgs, apiEnv);
    await waitFor(`${env.idpIssuer}/.well-known/openid-configuration`, idp, 'test IdP');
    await waitFor(`${env.apiUrl}/health`, api, 'contacts API');
  } catch (err) {
    await stop();
    throw err;
  }
  return { env, stop };
}
