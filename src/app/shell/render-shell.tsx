// Everything that renders: React, the router and the app. main.tsx loads it beside the
// config, or on a callback once the code exchange has left; index.html modulepreloads it,
// so its download never waits.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { pendingCallback } from '../../auth/sign-in/pending-callback.ts';
import type { AppConfig } from '../../config/app-config.ts';
import type { Clock } from '../../lib/clock.ts';
import type { AppServices } from '../../routes/app-services.tsx';
import { App } from './app.tsx';
import { AuthLayerSlot } from './auth-layer-slot.ts';
import { createAppRouter } from './router.tsx';

const ignore = () => undefined;

export function startApp(
  container: HTMLElement,
  start: { config: AppConfig; clock: Clock; services: Promise<AppServices> },
): void {
  const authLayer = new AuthLayerSlot(
    start.services.then(async (services) => {
      const { authLayerFor } = await import('../auth-layer/auth-layer.tsx');
      return authLayerFor(services);
    }),
  );
  const shell = { config: start.config, clock: start.clock, authLayer };
  const router = createAppRouter(shell);
  createRoot(container).render(
    <StrictMode>
      <App shell={shell} router={router} />
    </StrictMode>,
  );
  // Back from the provider: once the sign-in is handled, on to the page the user was going
  // to, without waiting for the callback route to render (it shows failures).
  authLayer.loaded.then(
    () =>
      pendingCallback()?.then((returnTo) => router.navigate(returnTo, { replace: true }), ignore),
    ignore,
  );
}

export async function showConfigError(container: HTMLElement, error: unknown): Promise<void> {
  const { ConfigErrorScreen } = await import('../../config/config-error-screen.tsx');
  createRoot(container).render(<ConfigErrorScreen error={error} />);
}
