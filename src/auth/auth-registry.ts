import type { AppConfig, ProviderConfig } from '../config/app-config.ts';
import type { Clock } from '../lib/clock.ts';
import { createUserManager } from './user-manager.ts';
import type { ValidatingUserManager } from './validating-user-manager.ts';

const activeProviderKey = 'oidc-contacts.active-provider';

export interface AuthRegistry {
  providers: readonly ProviderConfig[];
  active: ProviderConfig;
  userManager: ValidatingUserManager;
  /** The manager of another provider, for a sign-in the user picked. */
  userManagerFor(providerId: string): ValidatingUserManager;
  setActive(providerId: string): void;
}

/** One UserManager per provider; the active one is remembered per tab across redirects. */
export function createAuthRegistry(
  config: AppConfig,
  clock: Clock,
  storage: Storage = sessionStorage,
): AuthRegistry {
  const managers = new Map(
    config.providers.map((provider) => [
      provider.id,
      createUserManager(provider, config.options, clock),
    ]),
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
