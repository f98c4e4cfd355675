import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { openDpopKeyStoreEarly } from './auth/dpop/open-key-store-early.ts';
import { loadIdTokenValidator } from './auth/load-id-token-validator.ts';
import { pendingCallback } from './auth/pending-callback.ts';
import { loadConfig } from './config/load-config.ts';
import { anchoredClock } from './lib/clock.ts';
import { createAppRouter } from './router.tsx';
import { loadCallbackRoute } from './routes/lazy-routes.ts';
import { AuthLayerSlot } from './shell/auth-layer-slot.ts';
import './ui/styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

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
  // The auth and session layer downloads alongside the config (index.html modulepreloads
  // it); the signed-out home page paints without waiting for it.
  const authLayerCode = import('./auth/auth-layer.tsx');
  authLayerCode.catch(() => undefined); // reported through the slot below
  // Back from the provider: the callback's code downloads alongside the config, not after it.
  if (window.location.pathname === '/callback') {
    loadCallbackRoute().catch(() => undefined);
    loadIdTokenValidator().catch(() => undefined);
    openDpopKeyStoreEarly(); // the token request's proof needs the key from IndexedDB
  }
  const root = createRoot(container);
  // Config first: nothing renders, and no provider is contacted, before it is valid.
  loadConfig().then(
    ({ config, clockOffsetMs }) => {
      performance.mark('app:config loaded'); // marks: where start-up time goes (bench:sign-in)
      const clock = anchoredClock(clockOffsetMs);
      // On a callback this starts the code exchange before anything renders.
      const authLayer = new AuthLayerSlot(
        authLayerCode.then(({ startAuthLayer }) => startAuthLayer(config, clock)),
      );
      const shell = { config, clock, authLayer };
      const router = createAppRouter(shell);
      root.render(
        <StrictMode>
          <App shell={shell} router={router} />
        </StrictMode>,
      );
      // Back from the provider: once the sign-in is handled, on to the page the user was
      // going to, without waiting for the callback route to render (it shows failures).
      authLayer.loaded.then(
        () =>
          pendingCallback()?.then(
            (returnTo) => router.navigate(returnTo, { replace: true }),
            () => undefined,
          ),
        () => undefined,
      );
    },
    async (error: unknown) => {
      const { ConfigErrorScreen } = await import('./ui/config-error-screen.tsx');
      root.render(<ConfigErrorScreen error={error} />);
    },
  );
}
