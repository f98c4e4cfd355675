// The ID-token validator is a separate chunk. Whoever is about to need it (the callback,
// a renewal) calls this first, so the download runs alongside the token request instead
// of after it; the import is made once and shared.
type IdTokenValidator = typeof import('./id-token-validator.ts');

let loading: Promise<IdTokenValidator> | undefined;

export function loadIdTokenValidator(): Promise<IdTokenValidator> {
  loading ??= import('./id-token-validator.ts').catch((error: unknown) => {
    loading = undefined; // a failed download (offline) may be retried later
    throw error;
  });
  return loading;
}
