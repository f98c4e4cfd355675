// The auth and session layer: oidc-client-ts, react-oidc-context, the validating manager,
// DPoP and the session keeper. It is a chunk of its own that main.tsx starts loading at
// once (index.html modulepreloads it) but that the signed-out home page never waits for.
import { type ComponentType, type ReactNode, useLayoutEffect } from 'react';
import { AuthContext, type AuthContextProps, AuthProvider, useAuth } from 'react-oidc-context';
import type { AppConfig } from '../config/app-config.ts';
import { type Clock, clockOffsetFrom } from '../lib/clock.ts';
import { type AppServices, AppServicesContext } from '../routes/app-services.tsx';
import { loadContactsScreens, loadFirstContactsPage } from '../routes/lazy-routes.ts';
import { HeaderAuth, SessionFooter, SessionNotices } from '../routes/session-chrome.tsx';
import { createSession } from '../session/create-session.ts';
import { SessionContext } from '../session/use-session.ts';
import type { AuthLayer } from '../shell/auth-layer-slot.ts';
import { useAuthLayer } from '../shell/shell-context.ts';
import { createAuthRegistry } from './auth-registry.ts';
import { completeSignIn } from './complete-sign-in.ts';
import { beginCallback } from './pending-callback.ts';
import { startSignIn } from './sign-in.ts';
import { toSignInError } from './sign-in-error.ts';

export async function startAuthLayer(
  config: AppConfig,
  clock: Clock & { resync(offsetMs: number): void },
): Promise<AuthLayer> {
  performance.mark('app:auth layer loaded');
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
  // Back from the provider: the code exchange (validation included) starts now, while React
  // and the router are still booting; the contacts screens download alongside it.
  const callback = beginCallback(window.location, (url) => {
    loadContactsScreens().catch(() => undefined); // the route reports a failed download
    const firstPage = loadFirstContactsPage();
    firstPage.catch(() => undefined);
    return completeSignIn(auth.userManager, url).then((returnTo) => {
      performance.mark('app:sign-in response handled');
      // Validated and stored: the first contacts request leaves now, beside the navigation.
      void firstPage
        .then((early) => early.requestFirstContactsPage({ config, auth }, returnTo))
        .catch(() => undefined);
      return returnTo;
    });
  });
  // Otherwise another tab hands its session over (no trip to the provider), if there is one.
  if (!callback) await session.keeper.start();
  session.keeper.onSignedOutElsewhere = () => window.location.assign('/');
  const services: AppServices = { config, clock, auth, session };
  const withAuth = <P extends object>(Inner: ComponentType<P>) => {
    const WithAuth = (props: P) => (
      <LayerContexts services={services}>
        <Inner {...props} />
      </LayerContexts>
    );
    return WithAuth;
  };
  return {
    services,
    AuthBridge,
    withAuth,
    HeaderAuth: withAuth(HeaderAuth),
    SessionNotices: withAuth(SessionNotices),
    SessionFooter: withAuth(SessionFooter),
    signInWith: async (providerId, returnTo) => {
      try {
        auth.setActive(providerId);
        await startSignIn(auth.userManagerFor(providerId), returnTo);
        return undefined;
      } catch (error) {
        return toSignInError(error).detail;
      }
    },
  };
}

function AuthBridge({
  services,
  onAuth,
}: {
  services: AppServices;
  onAuth: (auth: AuthContextProps) => void;
}) {
  return (
    // The callback route runs the code exchange itself, so validation can come first.
    <AuthProvider userManager={services.auth.userManager} skipSigninCallback>
      <Report onAuth={onAuth} />
    </AuthProvider>
  );
}

function Report({ onAuth }: { onAuth: (auth: AuthContextProps) => void }) {
  const auth = useAuth();
  // Before paint, so the shell never renders a stale session state.
  useLayoutEffect(() => onAuth(auth), [auth, onAuth]);
  return null;
}

/** react-oidc-context's value as the bridge reported it to the shell, and the services. */
function LayerContexts({ services, children }: { services: AppServices; children: ReactNode }) {
  const { auth } = useAuthLayer();
  return (
    <AppServicesContext.Provider value={services}>
      <SessionContext.Provider value={services.session}>
        <AuthContext.Provider value={auth ?? undefined}>{children}</AuthContext.Provider>
      </SessionContext.Provider>
    </AppServicesContext.Provider>
  );
}
