import { createContext, useContext } from 'react';
import type { AuthRegistry } from '../auth/provider/auth-registry.ts';
import type { AppConfig } from '../config/app-config.ts';
import type { Clock } from '../lib/clock.ts';
import type { Session } from '../session/create-session.ts';

export interface AppServices {
  config: AppConfig;
  auth: AuthRegistry;
  clock: Clock;
  /** The session layer: status, renewals, cross-tab coordination (src/session). */
  session: Session;
}

export const AppServicesContext = createContext<AppServices | null>(null);

export function useAppServices(): AppServices {
  const services = useContext(AppServicesContext);
  if (!services) throw new Error('useAppServices must be used inside AppServicesContext');
  return services;
}
