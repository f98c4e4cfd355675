import { createContext, useContext, useSyncExternalStore } from 'react';
import type { LocalSignOutReason } from '../../auth/sign-in/local-sign-out-notice.ts';
import type { AppConfig } from '../../config/app-config.ts';
import type { Clock } from '../../lib/clock.ts';
import type { AuthLayerSlot, AuthLayerState } from './auth-layer-slot.ts';

/** What the home page knows about signing in before the auth layer has loaded. */
export interface SignInHints {
  /** The provider chosen last, in any tab. */
  lastUsedProviderId(): string | undefined;
  /** Once after a sign-out whose provider part could not be asked for: why. */
  takeLocalSignOutNotice(): LocalSignOutReason | null;
}

/** What the first paint has: the config, the clock, and the auth layer on its way. */
export interface Shell {
  config: AppConfig;
  clock: Clock;
  authLayer: AuthLayerSlot;
  hints: SignInHints;
}

export const ShellContext = createContext<Shell | null>(null);

export function useShell(): Shell {
  const shell = useContext(ShellContext);
  if (!shell) throw new Error('useShell must be used inside ShellContext');
  return shell;
}

/** The auth layer's state; `auth` stays null while the session is unknown ("checking"). */
export function useAuthLayer(): AuthLayerState {
  const { authLayer } = useShell();
  return useSyncExternalStore(authLayer.subscribe, authLayer.snapshot);
}
