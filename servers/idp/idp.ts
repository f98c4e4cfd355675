// Builds the test IdP from the local environment; main.ts runs it, tests start it in-process.
// The oidc-provider instance is rebuilt when test controls rotate the signing keys (its
// keystore is fixed at construction); sessions, grants and tokens live in the state file, so
// they carry over.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import { type KoaContextWithOIDC, Provider } from 'oidc-provider';
import type { LocalEnv } from '../local-env.ts';
import type { LogDestination } from '../shared/request-log.ts';
import { withAccessLog } from './access-log.ts';
import { accountAdmin } from './account-admin.ts';
import { authorizationFaults } from './authorization-faults.ts';
import { CLIENT_IDS, createConfiguration } from './configuration.ts';
import { consentMemory } from './consent-memory.ts';
import { controlRoutes } from './control-routes.ts';
import { interactionRoutes } from './interactions.ts';
import { type IdpKeys, loadOrCreateKeys, rotateSigningKeys } from './keys.ts';
import { recordProviderEvents, recordRevocations } from './request-events.ts';
import { publicPart, type StaleJwks, serveStaleJwks } from './stale-jwks.ts';
import { openStateFile, STATE_FILE } from './state-file.ts';
import { prepareTestMode, type TestMode } from './test-mode.ts';
import { tokenFaults } from './token-faults.ts';
import { tokenResponseScope } from './token-response-scope.ts';

export interface IdpOptions {
  /** Where one-line error summaries go; default stderr. */
  log?: (line: string) => void;
  /** JSON request lines (access-log.ts) to this destination; default none. */
  requestLog?: LogDestination;
}

export interface Idp {
  /** The current oidc-provider instance (a new one after a key rotation). */
  readonly provider: Provider;
  /** Handles one HTTP request with the current instance. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Present when IDP_TEST_MODE=1. */
  testMode: TestMode | undefined;
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
  const print = options.log ?? ((line: string) => console.error(`test IdP: ${line}`));
  let keys: IdpKeys = await loadOrCreateKeys(env.dataDir);
  const state = await openStateFile(path.join(env.dataDir, STATE_FILE), print);
  const consents = consentMemory(state.adapter);
  const admin = accountAdmin(state, consents, CLIENT_IDS);
  const testMode = env.idpTestMode ? await prepareTestMode(env, () => keys.jwks.keys) : undefined;
  // In test mode error lines also go to the request log, so failing tests can attach them.
  const log = (line: string) => {
    print(line);
    testMode?.log.record({ event: 'idp-error', detail: line });
  };

  // After a rotation asked for it: the keys as they were, for the next browser reads.
  let staleJwks: StaleJwks | undefined;
  const build = () => {
    const provider = new Provider(
      env.idpIssuer,
      createConfiguration(env, keys, state.adapter, consents),
    );
    // An https issuer served by this plain-http process can only be behind a TLS-terminating
    // proxy: trust its X-Forwarded-Proto (secure cookies, URLs built from requests). Never on
    // an http issuer, where any client could claim to have come over https.
    provider.proxy = new URL(env.idpIssuer).protocol === 'https:';
    if (testMode) {
      // Order matters: each runs before the provider's own routes, in this order.
      provider.use(controlRoutes(testMode, { rotateKeys, ...admin }));
      provider.use(serveStaleJwks(testMode, () => staleJwks));
      provider.use(tokenFaults(testMode, () => current));
      provider.use(authorizationFaults(testMode));
      provider.use(recordRevocations(testMode.log));
      recordProviderEvents(provider, testMode.log);
    }
    provider.use(tokenResponseScope());
    provider.use(interactionRoutes(provider, env.spaOrigin, log, consents, env.idpContactsScopes));
    for (const event of ERROR_EVENTS) {
      provider.on(event, (ctx: KoaContextWithOIDC, error: ProviderError) => {
        const detail = error.error_detail ? ` (${error.error_detail})` : '';
        const what = error.error ?? error.message;
        const description = error.error_description ? `: ${error.error_description}` : '';
        log(`${event} ${ctx.method} ${ctx.path} ${what}${description}${detail}`);
      });
    }
    return { provider, handle: provider.callback() };
  };

  async function rotateKeys(keepOld: boolean, staleJwksReads = 0) {
    const before = keys.jwks.keys.map(publicPart);
    keys = await rotateSigningKeys(env.dataDir, keys, keepOld);
    staleJwks = staleJwksReads > 0 ? { keys: before, reads: staleJwksReads } : undefined;
    ({ provider: current, handle } = build());
    testMode?.log.record({
      event: 'controls:rotate-keys',
      detail: keepOld ? 'kept old' : 'dropped old',
    });
    return { kids: keys.jwks.keys.map((key) => key.kid ?? '') };
  }

  let { provider: current, handle } = build();
  return {
    get provider() {
      return current;
    },
    handle: (req, res) => handle(req, res),
    testMode,
    saveState: state.save,
  };
}

/** Creates the IdP and listens on <idpHost>:<idpPort>, the host of its issuer. */
export async function startIdp(env: LocalEnv, options: IdpOptions = {}): Promise<RunningIdp> {
  const idp = await createIdp(env, options);
  const server = createServer(
    options.requestLog ? withAccessLog(idp.handle, options.requestLog) : idp.handle,
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.idpPort, env.idpHost, () => {
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
    get provider() {
      return idp.provider;
    },
    handle: idp.handle,
    testMode: idp.testMode,
    saveState: idp.saveState,
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
