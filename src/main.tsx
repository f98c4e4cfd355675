// The entry: small on purpose. It loads the config and starts the auth core; on a callback
// the code exchange, the ID token's checks and the first contacts request all happen before
// React, the router and the app are evaluated (app-start.tsx), which download meanwhile
// (index.html modulepreloads them).

import { readDpopKeysEarly } from './auth/dpop/dpop-key-database.ts';
import { loadIdTokenValidator } from './auth/id-token/load-id-token-validator.ts';
import { isAuthorizationResponse, pendingCallback } from './auth/sign-in/pending-callback.ts';
import { readConfigSnapshot, saveConfigSnapshot } from './config/config-snapshot.ts';
import { loadConfig } from './config/load-config.ts';
import { anchoredClock } from './lib/clock.ts';
import './ui/styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

const ignore = () => undefined;

/** The app's own code did not arrive (offline, a deploy replaced it): say so, in plain DOM. */
const showLoadFailure = () =>
  showPlainLine(
    'alert',
    'load-failure',
    'The app could not be downloaded. Check your connection and reload the page.',
  );

interface PostTaskScheduler {
  postTask(task: () => void, options: { priority: 'background' }): Promise<void>;
}

/**
 * Resolves when the main thread has nothing more urgent to run. After a sign-in the first
 * contacts request's own steps (reading the DPoP key, signing the proof) then go before the
 * app's evaluation and first render, which held them up by ~50 ms (bench:sign-in).
 */
function whenMainThreadIsFree(): Promise<void> {
  const { scheduler } = window as { scheduler?: PostTaskScheduler };
  if (scheduler) return scheduler.postTask(() => undefined, { priority: 'background' });
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A line of plain DOM in the app's place (React replaces it when it renders). */
function showPlainLine(role: 'status' | 'alert', className: string, text: string): void {
  const line = document.createElement('p');
  line.setAttribute('role', role);
  line.className = className;
  line.textContent = text;
  container?.replaceChildren(line);
}

if (window.self !== window.top && window.location.pathname === '/callback') {
  // Inside the hidden prompt=none iframe: hand the response to the tab, start no app (which
  // would join the tabs' session network and fetch data).
  const origin = window.location.origin;
  void import('oidc-client-ts')
    .then(({ UserManager }) =>
      new UserManager({
        authority: origin,
        client_id: 'silent',
        redirect_uri: origin,
      }).signinSilentCallback(),
    )
    .catch(() => {});
} else {
  const onCallback = isAuthorizationResponse(window.location);
  const authCoreCode = import('./app/services/start-services.ts');
  authCoreCode.catch(ignore); // reported by the app, through the auth layer's slot
  if (onCallback) {
    loadIdTokenValidator().catch(ignore);
    readDpopKeysEarly(); // the token request's proof needs the key from IndexedDB
    showPlainLine('status', 'pending', 'Signing you in…'); // never a blank page meanwhile
  }
  // The first paint needs the app's code and the config, so both load at once. On a
  // callback the app is evaluated once the sign-in is handled: its parsing, compiling and
  // first render would otherwise compete with the code exchange and the ID token's checks.
  const loadApp = () => import('./app/shell/render-shell.tsx');
  let appCode = onCallback ? undefined : loadApp();
  // Config first: nothing renders, and no provider is contacted, before it is valid. A
  // callback goes on with the config its sign-in started with, if this browser kept it,
  // and does not wait for /config.json (which index.html still preloads).
  const served = loadConfig();
  served.then(({ raw, clockOffsetMs }) => saveConfigSnapshot(raw, clockOffsetMs), ignore);
  const snapshot = onCallback ? readConfigSnapshot() : null;
  (snapshot ? Promise.resolve(snapshot) : served).then(
    ({ config, clockOffsetMs }) => {
      performance.mark('app:config loaded'); // marks: where start-up time goes (bench:sign-in)
      const clock = anchoredClock(clockOffsetMs);
      // The server's time as measured now, usually before the ID token's checks need it.
      if (snapshot) served.then((fresh) => clock.resync(fresh.clockOffsetMs), ignore);
      // On a callback this starts the code exchange.
      const services = authCoreCode.then(({ startAuthCore }) => startAuthCore(config, clock));
      appCode ??= services.then(
        () =>
          (pendingCallback() ?? Promise.resolve())
            .then(whenMainThreadIsFree, whenMainThreadIsFree)
            .then(loadApp),
        loadApp,
      );
      appCode.then(
        ({ startApp }) => startApp(container, { config, clock, services }),
        showLoadFailure,
      );
    },
    (error: unknown) =>
      (appCode ?? loadApp()).then(
        ({ showConfigError }) => showConfigError(container, error),
        showLoadFailure,
      ),
  );
}
