import type { UserManager } from 'oidc-client-ts';
import type { AppConfig, ProviderConfig } from '../config/app-config.ts';
import { createUserManager } from './user-manager.ts';

const activeProviderKey = 'oidc-contacts.active-provider';

export interface AuthRegistry {
  providers: readonly ProviderConfig[];
  active: ProviderConfig;
  userManager: UserManager;
  /** The manager of another provider, for a sign-in the user picked. */
  userManagerFor(providerId: string): UserManager;
  setActive(providerId: string): void;
}

/** One UserManager per provider; the active one is remembered per tab across redirects. */
export function createAuthRegistry(
  config: AppConfig,
  storage: Storage = sessionStorage,
): AuthRegistry {
  const managers = new Map(
    config.providers.map((provider) => [provider.id, createUserManager(provider, config.options)]),
  );
  const storedId = storage.getItem(activeProviderKey);
  const active = config.providers.find((p) => p.id === storedId) ?? config.providers[0];
  if (!active) throw new Error('no provider configured');
  const managerOf = (id: string) => {
    const manager = managers.get(id);
    if (!manager) throw new Error(`unknown provider "${id}"`);
    return manager;
  };
  return {
    providers: config.providers,
    active,
    userManager: managerOf(active.id),
    userManagerFor: managerOf,
    setActive: (id) => {
      managerOf(id);
      storage.setItem(activeProviderKey, id);
    },
  };
}
