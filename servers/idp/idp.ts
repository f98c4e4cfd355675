// Builds the test IdP from the local environment; main.ts runs it, tests start it in-process.
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { type KoaContextWithOIDC, Provider } from 'oidc-provider';
import type { LocalEnv } from '../local-env.ts';
import { createConfiguration } from './configuration.ts';
import { interactionRoutes } from './interactions.ts';
import { loadOrCreateKeys } from './keys.ts';
import { openStateFile, STATE_FILE } from './state-file.ts';

export interface IdpOptions {
  /** Where one-line error summaries go; default stderr. */
  log?: (line: string) => void;
}

export interface Idp {
  provider: Provider;
  /** Writes pending sessions, grants and tokens to the data folder. */
  saveState(): Promise<void>;
}

export interface RunningIdp extends Idp {
  server: Server;
  /** Stops listening and saves the state. */
  close(): Promise<void>;
}

// Each failure is logged as one line. The error fields never carry tokens, codes or passwords.
const ERROR_EVENTS = [
  'authorization.error',
  'grant.error',
  'end_session.error',
  'revocation.error',
  'userinfo.error',
  'jwks.error',
  'discovery.error',
  'server_error',
];

export async function createIdp(env: LocalEnv, options: IdpOptions = {}): Promise<Idp> {
  const log = options.log ?? ((line: string) => console.error(`test IdP: ${line}`));
  const keys = await loadOrCreateKeys(env.dataDir);
  const state = await openStateFile(path.join(env.dataDir, STATE_FILE), log);
  const provider = new Provider(env.idpIssuer, createConfiguration(env, keys, state.adapter));
  provider.use(interactionRoutes(provider, env.spaOrigin, log));
  for (const event of ERROR_EVENTS) {
    provider.on(event, (ctx: KoaContextWithOIDC, error: ProviderError) => {
      const detail = error.error_detail ? ` (${error.error_detail})` : '';
      const what = error.error ?? error.message;
      const description = error.error_description ? `: ${error.error_description}` : '';
      log(`${event} ${ctx.method} ${ctx.path} ${what}${description}${detail}`);
    });
  }
  return { provider, saveState: state.save };
}

/** Creates the IdP and listens on localhost:<idpPort>, the host of its issuer. */
export async function startIdp(env: LocalEnv, options: IdpOptions = {}): Promise<RunningIdp> {
  const idp = await createIdp(env, options);
  const server = createServer(idp.provider.callback());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.idpPort, 'localhost', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const stop = () =>
    new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections(); // keep-alive sockets would hold close() open
    });
  return {
    ...idp,
    server,
    close: async () => {
      await stop();
      await idp.saveState();
    },
  };
}

interface ProviderError extends Error {
  error?: string;
  error_description?: string;
  error_detail?: string;
}
