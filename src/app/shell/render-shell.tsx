// Everything that renders: React, the router and the app. start-app.ts loads it beside the
// config, or on a callback once the sign-in is handled; index.html modulepreloads it, so its
// download never waits.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { AppConfig } from '../../config/app-config.ts';
import type { Clock } from '../../lib/clock.ts';
import type { AppServices } from '../services/app-services.ts';
import { App } from './app.tsx';
import { AuthLayerSlot } from './auth-layer-slot.ts';
import { createAppRouter } from './router.tsx';
import type { SignInHints } from './shell-context.ts';

const ignore = () => undefined;

/** What the start-up phases before the shell produced. */
export interface Started {
  config: AppConfig;
  clock: Clock;
  services: Promise<AppServices>;
}

export function renderShell(container: HTMLElement, started: Started, hints: SignInHints): void {
  const authLayer = attachAuthLayer(started.services);
  const shell = { config: started.config, clock: started.clock, authLayer, hints };
  const router = createAppRouter(shell);
  createRoot(container).render(
    <StrictMode>
      <App shell={shell} router={router} />
    </StrictMode>,
  );
  // Back from the provider: once the sign-in is handled, on to the page the user was going
  // to, without waiting for the callback route to render (it shows failures).
  authLayer.loaded.then(
    ({ services }) =>
      services.callback?.then((returnTo) => router.navigate(returnTo, { replace: true }), ignore),
    ignore,
  );
}

/** Phase 4: the auth layer's React side joins once the services have started. */
function attachAuthLayer(services: Promise<AppServices>): AuthLayerSlot {
  return new AuthLayerSlot(
    services.then(async (started) => {
      const { authLayerFor } = await import('../auth-layer/auth-layer.tsx');
      return authLayerFor(started);
    }),
  );
}

export async function showConfigError(container: HTMLElement, error: unknown): Promise<void> {
  const { ConfigErrorScreen } = await import('../../config/config-error-screen.tsx');
  createRoot(container).render(<ConfigErrorScreen error={error} />);
}
