// The auth and session layer's React side: react-oidc-context's provider, the contexts the
// protected routes read and the session chrome, around the services start-services.ts
// started. A chunk of its own (index.html modulepreloads it) that the signed-out home page
// never waits for.
import {
  type ComponentType,
  type ReactNode,
  useCallback,
  useEffect,
  useLayoutEffect,
  useSyncExternalStore,
} from 'react';
import { AuthContext, type AuthContextProps, AuthProvider, useAuth } from 'react-oidc-context';
import { currentPath } from '../../auth/sign-in/return-to.ts';
import { startSignIn } from '../../auth/sign-in/sign-in.ts';
import { toSignInError } from '../../auth/sign-in/sign-in-error.ts';
import { forgetContacts } from '../../contacts/contact-cache.ts';
import { SessionContext } from '../../session/react/use-session.ts';
import type { AppServices } from '../services/app-services.ts';
import { AppServicesContext } from './app-services-context.ts';
import { HeaderAuth, SessionFooter, SessionNotices } from './session-chrome.tsx';

/** What the lazily loaded layer gives the shell (app/shell/auth-layer-slot.ts holds it). */
export interface AuthLayer {
  services: AppServices;
  /** react-oidc-context's provider, reporting each of its values to `onAuth`. */
  bridge(onAuth: (auth: AuthContextProps) => void): ReactNode;
  /**
   * A component of a lazy route (or of the layer) with the layer's contexts around it: the
   * services, the session and react-oidc-context's value (so useAuth works inside).
   */
  withAuth<P extends object>(component: ComponentType<P>): ComponentType<P>;
  /** A protected page: withAuth, and hidden once the session ended for inactivity. */
  protect<P extends object>(component: ComponentType<P>): ComponentType<P>;
  /** The header's navigation and identity, the session's notices and its log. */
  HeaderAuth: ComponentType;
  SessionNotices: ComponentType;
  SessionFooter: ComponentType;
  /** A sign-in the user asked for; resolves with a technical detail when it cannot start. */
  signInWith(providerId: string, returnTo: string): Promise<string | undefined>;
  /** Leaves to sign in with this tab's provider, coming back to `returnTo`. */
  signIn(returnTo: string): Promise<void>;
  /** The same, coming back to this very page. */
  signInAgain(): Promise<void>;
}

type AuthValue = ReturnType<typeof latestValue<AuthContextProps | null>>;

export function authLayerFor(services: AppServices): AuthLayer {
  const { auth } = services;
  // react-oidc-context's value as the bridge last reported it, for the layer's contexts.
  const authValue: AuthValue = latestValue<AuthContextProps | null>(null);
  const withAuth = <P extends object>(Inner: ComponentType<P>) => {
    const WithAuth = (props: P) => (
      <LayerContexts services={services} authValue={authValue}>
        <Inner {...props} />
      </LayerContexts>
    );
    return WithAuth;
  };
  const protect = <P extends object>(Inner: ComponentType<P>) => {
    const Protected = (props: P) => (
      <LayerContexts services={services} authValue={authValue}>
        <HiddenAfterIdleTimeout services={services}>
          <Inner {...props} />
        </HiddenAfterIdleTimeout>
      </LayerContexts>
    );
    return Protected;
  };
  return {
    services,
    protect,
    bridge: (onAuth) => <AuthBridge services={services} authValue={authValue} onAuth={onAuth} />,
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
    signIn: (returnTo) => startSignIn(auth.userManager, returnTo),
    signInAgain: () => startSignIn(auth.userManager, currentPath(window.location)),
  };
}

function AuthBridge({
  services,
  authValue,
  onAuth,
}: {
  services: AppServices;
  authValue: AuthValue;
  onAuth: (value: AuthContextProps) => void;
}) {
  const report = useCallback(
    (value: AuthContextProps) => {
      authValue.set(value);
      onAuth(value);
    },
    [authValue, onAuth],
  );
  return (
    // start-services.ts runs the code exchange itself, so validation can come first.
    <AuthProvider userManager={services.auth.userManager} skipSigninCallback>
      <Report onAuth={report} />
    </AuthProvider>
  );
}

/**
 * An unattended device: once the session ended for inactivity, the page's data leaves the
 * screen and this tab's memory. What was typed stays in drafts for signing in again.
 */
function HiddenAfterIdleTimeout({
  services,
  children,
}: {
  services: AppServices;
  children: ReactNode;
}) {
  const { keeper } = services.session;
  const { status, reason } = useSyncExternalStore(keeper.subscribe, keeper.snapshot);
  const idleEnded = status === 'expired' && reason === 'idle_timeout';
  useEffect(() => {
    if (idleEnded) forgetContacts();
  }, [idleEnded]);
  if (idleEnded) return <p className="hint">Sign in again to see this page.</p>;
  return children;
}

/** The services, the session and react-oidc-context's value, for what the layer wraps. */
function LayerContexts({
  services,
  authValue,
  children,
}: {
  services: AppServices;
  authValue: AuthValue;
  children: ReactNode;
}) {
  const value = useSyncExternalStore(authValue.subscribe, authValue.get);
  return (
    <AppServicesContext.Provider value={services}>
      <SessionContext.Provider value={services.session}>
        <AuthContext.Provider value={value ?? undefined}>{children}</AuthContext.Provider>
      </SessionContext.Provider>
    </AppServicesContext.Provider>
  );
}

function Report({ onAuth }: { onAuth: (auth: AuthContextProps) => void }) {
  const auth = useAuth();
  // Before paint, so the shell never renders a stale session state.
  useLayoutEffect(() => onAuth(auth), [auth, onAuth]);
  return null;
}

/** One value and its listeners, for useSyncExternalStore. */
function latestValue<T>(initial: T) {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next: T) {
      value = next;
      for (const listener of listeners) listener();
    },
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
