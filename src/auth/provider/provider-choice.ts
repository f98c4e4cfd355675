import type { ProviderConfig } from '../../config/app-config.ts';

// Which provider a tab signs in with. Kept apart from auth-registry.ts so the home page
// can offer the last one first without loading the auth layer.

export const activeProviderKey = 'oidc-contacts.active-provider';
export const lastUsedProviderKey = 'oidc-contacts.last-provider';

/** The provider chosen last, in any tab, if it is still configured. */
export function lastUsedProvider(
  providers: readonly ProviderConfig[],
  sharedStorage: Storage = localStorage,
): ProviderConfig | undefined {
  const id = sharedStorage.getItem(lastUsedProviderKey);
  return providers.find((p) => p.id === id);
}
