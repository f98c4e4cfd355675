// The oidc-client-ts `dpop` setting for a provider whose config says `dpop: true`: token
// requests (code exchange, refresh) carry proofs signed by the provider's key, and the
// authorization request carries `dpop_jkt`, binding the code to the key too (RFC 9449 §10).
import type { UserManager, UserManagerSettings } from 'oidc-client-ts';
import type { ProviderConfig } from '../../config/app-config.ts';
import { ProviderDpopStore } from './dpop-key-store.ts';

/** The DPoP key pair of the provider that bound the tokens (undefined: none kept). */
export type DpopKeys = () => Promise<CryptoKeyPair | undefined>;

export function dpopSettingsFor(provider: ProviderConfig): UserManagerSettings['dpop'] {
  if (!provider.dpop) return undefined;
  return { store: new ProviderDpopStore(provider.issuer), bind_authorization_code: true };
}

/** The manager's key store, when its provider binds tokens with DPoP. */
function dpopStoreOf(userManager: UserManager): ProviderDpopStore | undefined {
  const store = userManager.settings.dpop?.store;
  return store instanceof ProviderDpopStore ? store : undefined;
}

/** Where API requests find the key the manager's tokens are bound to (none without DPoP). */
export function dpopKeysOf(userManager: UserManager): DpopKeys | undefined {
  const store = dpopStoreOf(userManager);
  if (!store) return undefined;
  return async () => (await store.get(userManager.settings.client_id))?.keys;
}

/** Deliberate sign-out: the key goes with the session, in every tab (they share it). */
export async function endDpopSession(userManager: UserManager): Promise<void> {
  await dpopStoreOf(userManager)?.deleteKey(userManager.settings.client_id);
}
