// The provider's discovery document, kept for this tab for a few minutes once its issuer
// has been checked, so the callback page can exchange the code without fetching it again
// (one sequential round trip fewer on the way back from the provider).
import type { ProviderMetadata } from './provider-trust.ts';

const MAX_AGE_MS = 10 * 60_000;
const keyFor = (issuer: string) => `oidc-contacts.metadata:${issuer}`;

export function cachedMetadata(
  issuer: string,
  storage: Storage = sessionStorage,
  now: number = Date.now(),
): ProviderMetadata | undefined {
  try {
    const entry = JSON.parse(storage.getItem(keyFor(issuer)) ?? 'null') as {
      savedAt?: unknown;
      metadata?: ProviderMetadata;
    } | null;
    if (!entry || typeof entry.savedAt !== 'number' || now - entry.savedAt > MAX_AGE_MS)
      return undefined;
    return entry.metadata?.issuer === issuer ? entry.metadata : undefined;
  } catch {
    return undefined;
  }
}

export function rememberMetadata(
  issuer: string,
  metadata: ProviderMetadata,
  storage: Storage = sessionStorage,
  now: number = Date.now(),
): void {
  try {
    storage.setItem(keyFor(issuer), JSON.stringify({ savedAt: now, metadata }));
  } catch {
    // Storage full or disabled: discovery is simply fetched again.
  }
}
