import type { AppConfig, ProviderConfig } from '../../config/app-config.ts';
import type { Clock } from '../../lib/clock.ts';
import { activeProviderKey, lastUsedProvider, lastUsedProviderKey } from './provider-choice.ts';
import { createUserManager } from './user-manager.ts';
import type { ValidatingUserManager } from './validating-user-manager.ts';

export interface AuthRegistry {
  providers: readonly ProviderConfig[];
  /** The provider this tab signs in with (its state and tokens are kept apart per provider). */
  active: ProviderConfig;
  userManager: ValidatingUserManager;
  /** The provider chosen last, in any tab: offered first next time. */
  lastUsedId: string | undefined;
  /** The manager of another provider, for a sign-in the user picked. */
  userManagerFor(providerId: string): ValidatingUserManager;
  setActive(providerId: string): void;
}

/** One UserManager per provider; the active one is remembered per tab across redirects. */
export function createAuthRegistry(
  config: AppConfig,
  clock: Clock,
  tabStorage: Storage = sessionStorage,
  sharedStorage: Storage = localStorage,
): AuthRegistry {
  const managers = new Map(
    config.providers.map((provider) => [
      provider.id,
      createUserManager(provider, config.options, config.api.resource, clock),
    ]),
  );
  const known = (id: string | null) => config.providers.find((p) => p.id === id);
  const lastUsed = lastUsedProvider(config.providers, sharedStorage);
  const active = known(tabStorage.getItem(activeProviderKey)) ?? lastUsed ?? config.providers[0];
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
    lastUsedId: lastUsed?.id,
    userManagerFor: managerOf,
    setActive: (id) => {
      managerOf(id);
      tabStorage.setItem(activeProviderKey, id);
      sharedStorage.setItem(lastUsedProviderKey, id);
    },
  };
}
