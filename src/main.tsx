import { UserManager } from 'oidc-client-ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { createAuthRegistry } from './auth/auth-registry.ts';
import { loadConfig } from './config/load-config.ts';
import { anchoredClock, clockOffsetFrom } from './lib/clock.ts';
import { createAppRouter } from './router.tsx';
import { loadCallbackRoute } from './routes/lazy-routes.ts';
import { createSession } from './session/create-session.ts';
import './ui/styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

if (window.self !== window.top && window.location.pathname === '/callback') {
  // Inside the hidden prompt=none iframe: hand the response to the tab, start no app (which
  // would join the tabs' session network and fetch data).
  const origin = window.location.origin;
  void new UserManager({ authority: origin, client_id: 'silent', redirect_uri: origin })
    .signinSilentCallback()
    .catch(() => {});
} else {
  const isAuthorizationResponse = ({ pathname, search }: Location) =>
    pathname === '/callback' && /[?&](code|error|state)=/.test(search);
  // Back from the provider: the callback's code downloads alongside the config, not after it.
  if (window.location.pathname === '/callback') loadCallbackRoute().catch(() => undefined);
  const root = createRoot(container);
  // Config first: nothing renders, and no provider is contacted, before it is valid.
  loadConfig().then(
    async ({ config, clockOffsetMs }) => {
      const clock = anchoredClock(clockOffsetMs);
      const auth = createAuthRegistry(config, clock);
      const session = createSession(auth.userManager, {
        issuer: auth.active.issuer,
        clientId: auth.active.clientId,
        renewMarginSeconds: config.options.renewMarginSeconds,
        idleTimeoutMinutes: config.options.idleTimeoutMinutes,
        // After sleep or a long time hidden: measure the server's time again first.
        beforeRecheck: async () => {
          const sentAt = Date.now();
          const response = await fetch('/config.json', { method: 'HEAD', cache: 'no-store' });
          const offset = clockOffsetFrom(response.headers.get('Date'), sentAt, Date.now());
          if (offset !== null) clock.resync(offset);
        },
      });
      // Another tab hands its session over (no trip to the provider), if there is one.
      if (!isAuthorizationResponse(window.location)) await session.keeper.start();
      const services = { config, clock, auth, session };
      const router = createAppRouter(services);
      session.keeper.onSignedOutElsewhere = () => window.location.assign('/');
      root.render(
        <StrictMode>
          <App services={services} router={router} />
        </StrictMode>,
      );
    },
    async (error: unknown) => {
      const { ConfigErrorScreen } = await import('./ui/config-error-screen.tsx');
      root.render(<ConfigErrorScreen error={error} />);
    },
  );
}
