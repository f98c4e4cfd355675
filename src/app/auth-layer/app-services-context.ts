import { createContext, useContext } from 'react';
import type { AppServices } from '../services/app-services.ts';

/** The started services, for the session chrome (auth-layer.tsx provides them). */
export const AppServicesContext = createContext<AppServices | null>(null);

export function useAppServices(): AppServices {
  const services = useContext(AppServicesContext);
  if (!services) throw new Error('useAppServices must be used inside AppServicesContext');
  return services;
}
