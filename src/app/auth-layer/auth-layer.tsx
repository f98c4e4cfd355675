// The auth and session layer's React side: react-oidc-context's provider, the contexts the
// routes read and the session chrome, around the services auth-core.ts started. A chunk of
// its own (index.html modulepreloads it) that the signed-out home page never waits for.
import { type ComponentType, type ReactNode, useLayoutEffect } from 'react';
import { AuthContext, type AuthContextProps, AuthProvider, useAuth } from 'react-oidc-context';
import { startSignIn } from '../../auth/sign-in/sign-in.ts';
import { toSignInError } from '../../auth/sign-in/sign-in-error.ts';
import { type AppServices, AppServicesContext } from '../../routes/app-services.tsx';
import { SessionContext } from '../../session/react/use-session.ts';
import type { AuthLayer } from '../shell/auth-layer-slot.ts';
import { useAuthLayer } from '../shell/shell-context.ts';
import { HeaderAuth, SessionFooter, SessionNotices } from './session-chrome.tsx';

/** The layer's React side (providers, contexts, session chrome) around started services. */
export function authLayerFor(services: AppServices): AuthLayer {
  const { auth } = services;
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
    // auth-core.ts runs the code exchange itself, so validation can come first.
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
