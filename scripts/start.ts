// `npm start`: builds the SPA, then runs the test IdP, the contacts API and the SPA server
// as three processes on loopback. Ctrl-C stops all three.
// `npm run dev` (--dev): the same, with Vite's dev server (HMR, scripts/vite-dev.ts) in place
// of the build and the SPA server.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { demoUsers } from '../servers/demo-data.ts';
import { type LocalEnv, readLocalEnv } from '../servers/local-env.ts';
import { localSpaConfig } from '../servers/local-spa-config.ts';

interface Service {
  name: string;
  entry: string;
  port: number;
  portVar: string;
  readyUrl: string;
}

let env: LocalEnv;
try {
  env = readLocalEnv();
} catch (error) {
  console.error(`npm start: ${(error as Error).message}`);
  process.exit(1);
}

const dev = process.argv.includes('--dev');

const services: Service[] = [
  {
    name: 'test IdP',
    entry: 'servers/idp/main.ts',
    port: env.idpPort,
    portVar: 'IDP_PORT',
    readyUrl: `${env.idpIssuer}/.well-known/openid-configuration`,
  },
  {
    name: 'contacts API',
    entry: 'servers/contacts-api/main.ts',
    port: env.apiPort,
    portVar: 'API_PORT',
    readyUrl: `${env.apiUrl}/health`,
  },
  {
    name: dev ? 'Vite dev server' : 'SPA',
    entry: dev ? 'scripts/vite-dev.ts' : 'servers/spa/main.ts',
    port: env.spaPort,
    portVar: 'SPA_PORT',
    readyUrl: `${env.spaOrigin}/config.json`,
  },
];

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
      .once('error', () => resolve(false))
      .once('listening', () => probe.close(() => resolve(true)))
      .listen(port, 'localhost');
  });
}

for (const service of services) {
  if (!(await portIsFree(service.port))) {
    console.error(
      `npm start: port ${service.port} (${service.name}) is already in use; set ${service.portVar} to use another`,
    );
    process.exit(1);
  }
}

if (!dev && !process.argv.includes('--no-build')) {
  console.log('Building the SPA…');
  const { build } = await import('vite');
  await build({ logLevel: 'warn' });
}

// The SPA learns the local IdP and API from its runtime config, so ports can move.
mkdirSync(env.dataDir, { recursive: true });
const configPath = path.join(env.dataDir, 'spa-config.json');
writeFileSync(configPath, `${JSON.stringify(localSpaConfig(env), null, 2)}\n`);

const children: ChildProcess[] = [];
let stopping = false;

function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
  Promise.all(
    children.map(
      (child) =>
        new Promise((done) => (child.exitCode !== null ? done(null) : child.once('exit', done))),
    ),
  ).then(() => process.exit(code));
}

for (const service of services) {
  const child = spawn(process.execPath, ['--import', 'tsx', service.entry], {
    // The local SPA binds its tokens with DPoP, so the IdP requires it (IDP_REQUIRE_DPOP=0 to relax).
    // Request lines off by default: they would drown the terminal (REQUEST_LOG=1 to see them).
    env: { IDP_REQUIRE_DPOP: '1', REQUEST_LOG: '0', ...process.env, SPA_CONFIG_PATH: configPath },
    stdio: 'inherit',
  });
  child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(
      `npm start: the ${service.name} stopped (${signal ?? `exit code ${code}`}); stopping the others`,
    );
    stopAll(1);
  });
  children.push(child);
}

process.once('SIGINT', () => stopAll(0));
process.once('SIGTERM', () => stopAll(0));

async function waitUntilReady(service: Service, deadline: number): Promise<void> {
  while (Date.now() < deadline && !stopping) {
    try {
      const response = await fetch(service.readyUrl);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (!stopping) throw new Error(`the ${service.name} did not become ready at ${service.readyUrl}`);
}

try {
  await Promise.all(services.map((service) => waitUntilReady(service, Date.now() + 30_000)));
} catch (error) {
  console.error(`npm start: ${(error as Error).message}`);
  stopAll(1);
}

if (!stopping) {
  console.log(`
Ready.
  App           ${env.spaOrigin}
  Test IdP      ${env.idpIssuer}
  Contacts API  ${env.apiUrl}

Demo accounts (username / password):
${demoUsers.map((user) => `  ${user.username.padEnd(8)} ${user.password.padEnd(22)} ${user.name}, may ${user.entitlements.includes('contacts:write') ? 'read and edit' : 'only read'} contacts`).join('\n')}

Press Ctrl-C to stop.`);
}
