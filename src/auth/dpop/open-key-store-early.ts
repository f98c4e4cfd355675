// oidc-client-ts opens its IndexedDB database ("oidc", store "dpop") for every key lookup.
// On the callback page the first open is a cold one (the storage back end closed when the
// page left for the provider), and it used to come after the config and the auth layer,
// right before the token request. Opening it as the entry starts keeps the back end warm.

const DPOP_DATABASE = 'oidc'; // IndexedDbDPoPStore's database name

/** Opens the DPoP key database and keeps it open; never creates it (nothing to warm). */
export function openDpopKeyStoreEarly(): void {
  if (typeof indexedDB === 'undefined') return;
  try {
    const request = indexedDB.open(DPOP_DATABASE);
    // No database yet: abort the creation, so oidc-client-ts still creates it with its store.
    request.onupgradeneeded = () => request.transaction?.abort();
    request.onerror = (event) => event.preventDefault();
    request.onsuccess = () => {
      // Give way when oidc-client-ts (or another tab) needs a new version.
      request.result.onversionchange = () => request.result.close();
    };
  } catch {
    // Storage unavailable (private mode, policy): the store itself will report it.
  }
}
