// The composition root: start-up as named phases. The React-free part (this folder's root)
// is the entry chunk; the services (services/, the auth core), the shell (shell/, React and
// the router) and the auth layer's React side (auth-layer/) are chunks index.html
// modulepreloads. On a callback the code exchange, the ID token's checks and the first
// contacts request happen before the shell is even evaluated.
import { readDpopKeysEarly } from '../auth/dpop/dpop-key-database.ts';
import { loadIdTokenValidator } from '../auth/id-token/load-id-token-validator.ts';
import { lastUsedProvider } from '../auth/provider/provider-choice.ts';
import {
  type LocalSignOutReason,
  takeLocalSignOutNotice,
} from '../auth/sign-in/local-sign-out-notice.ts';
import { isAuthorizationResponse } from '../auth/sign-in/pending-callback.ts';
import type { AppConfig } from '../config/app-config.ts';
import { readConfigSnapshot, saveConfigSnapshot } from '../config/config-snapshot.ts';
import { loadConfig } from '../config/load-config.ts';
import { anchoredClock } from '../lib/clock.ts';
import '../ui/styles.css';
import { showPlainLine, whenMainThreadIsFree } from './page.ts';
import type { AppServices } from './services/app-services.ts';
import type { Started } from './shell/render-shell.tsx';
import type { SignInHints } from './shell/shell-context.ts';
import { answerInSilentRenewFrame } from './silent-renew-frame.ts';

const ignore = () => undefined;
const loadServicesCode = () => import('./services/start-services.ts');
const loadShellCode = () => import('./shell/render-shell.tsx');
type ShellCode = Awaited<ReturnType<typeof loadShellCode>>;

/** The app's own code did not arrive (offline, a deploy replaced it): say so, in plain DOM. */
const showDownloadFailure = (container: HTMLElement) =>
  showPlainLine(
    container,
    'alert',
    'load-failure',
    'The app could not be downloaded. Check your connection and reload the page.',
  );

export function startApp(container: HTMLElement): void {
  if (answerInSilentRenewFrame()) return;
  const onCallback = isAuthorizationResponse(window.location);
  // Both downloads start now; the shell's waits on a callback (see renderShell).
  const servicesCode = loadServicesCode();
  servicesCode.catch(ignore); // reported by the shell, through the auth layer's slot
  if (onCallback) prepareCallback(container);
  const shellCode = onCallback ? undefined : loadShellCode();
  loadConfigPhase(onCallback).then(
    ({ config, clock }) => {
      const services = startServices(servicesCode, config, clock);
      renderShell(container, shellCode ?? shellAfterSignIn(services), { config, clock, services });
    },
    (error: unknown) =>
      (shellCode ?? loadShellCode()).then(
        ({ showConfigError }) => showConfigError(container, error),
        () => showDownloadFailure(container),
      ),
  );
}

/** Back from the provider: what the code exchange will need starts loading at once. */
function prepareCallback(container: HTMLElement): void {
  loadIdTokenValidator().catch(ignore);
  readDpopKeysEarly(); // the token request's proof needs the key from IndexedDB
  showPlainLine(container, 'status', 'pending', 'Signing you in…'); // never a blank page
}

/**
 * Phase 1, the config: nothing renders, and no provider is contacted, before it is valid. A
 * callback goes on with the config its sign-in started with, if this browser kept it, and
 * does not wait for /config.json (which index.html still preloads).
 */
async function loadConfigPhase(onCallback: boolean) {
  const served = loadConfig();
  served.then(({ raw, clockOffsetMs }) => saveConfigSnapshot(raw, clockOffsetMs), ignore);
  const snapshot = onCallback ? readConfigSnapshot() : null;
  const { config, clockOffsetMs } = snapshot ?? (await served);
  performance.mark('app:config loaded'); // marks: where start-up time goes (bench:sign-in)
  const clock = anchoredClock(clockOffsetMs);
  // The server's time as measured now, usually before the ID token's checks need it.
  if (snapshot) served.then((fresh) => clock.resync(fresh.clockOffsetMs), ignore);
  return { config, clock };
}

/** Phase 2, the services (the auth core): on a callback this starts the code exchange. */
function startServices(
  code: ReturnType<typeof loadServicesCode>,
  config: AppConfig,
  clock: ReturnType<typeof anchoredClock>,
): Promise<AppServices> {
  return code.then(({ startServices }) => startServices(config, clock));
}

/**
 * On a callback the shell is evaluated once the sign-in is handled: its parsing, compiling
 * and first render would otherwise compete with the code exchange and the ID token's checks.
 */
function shellAfterSignIn(services: Promise<AppServices>): Promise<ShellCode> {
  return services.then(
    ({ callback }) =>
      (callback ?? Promise.resolve())
        .then(whenMainThreadIsFree, whenMainThreadIsFree)
        .then(loadShellCode),
    loadShellCode,
  );
}

/** Phase 3, the shell: React, the router and the app; it attaches the auth layer (phase 4). */
function renderShell(container: HTMLElement, code: Promise<ShellCode>, started: Started): void {
  code.then(
    ({ renderShell }) => renderShell(container, started, signInHints(started.config)),
    () => showDownloadFailure(container),
  );
}

/** What the home page shows before the auth layer has loaded (the shell has no auth code). */
function signInHints(config: AppConfig): SignInHints {
  let signedOutLocally: LocalSignOutReason | null | undefined;
  return {
    lastUsedProviderId: () => lastUsedProvider(config.providers)?.id,
    takeLocalSignOutNotice: () => {
      signedOutLocally ??= takeLocalSignOutNotice();
      const taken = signedOutLocally;
      signedOutLocally = null;
      return taken;
    },
  };
}
