import { createContext, useContext } from 'react';
import type { AuthRegistry } from '../auth/auth-registry.ts';
import type { AppConfig } from '../config/app-config.ts';

export interface AppServices {
  config: AppConfig;
  auth: AuthRegistry;
}

export const AppServicesContext = createContext<AppServices | null>(null);

export function useAppServices(): AppServices {
  const services = useContext(AppServicesContext);
  if (!services) throw new Error('useAppServices must be used inside AppServicesContext');
  return services;
}
