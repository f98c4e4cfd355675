// Unsaved form input, kept while the session is renewed or ended so that signing in again
// loses nothing. A draft belongs to the account that typed it (issuer + subject): another
// account never sees it, and a deliberate sign-out deletes every draft.
// Kept in sessionStorage: it survives the sign-in redirect in this tab and dies with it.

export interface DraftOwner {
  issuer: string;
  subject: string;
}

export type DraftValues = Record<string, string>;

const PREFIX = 'oidc-contacts.draft:';
const MAX_DRAFT_CHARS = 100_000;

const keyOf = (owner: DraftOwner, formKey: string) =>
  `${PREFIX}${JSON.stringify([owner.issuer, owner.subject, formKey])}`;

export function saveDraft(
  owner: DraftOwner,
  formKey: string,
  values: DraftValues,
  storage: Storage = sessionStorage,
): void {
  const text = JSON.stringify(values);
  if (text.length > MAX_DRAFT_CHARS) return;
  try {
    storage.setItem(keyOf(owner, formKey), text);
  } catch {
    // Storage full or refused: the form still works, only the safety net is missing.
  }
}

export function loadDraft(
  owner: DraftOwner,
  formKey: string,
  storage: Storage = sessionStorage,
): DraftValues | null {
  const text = storage.getItem(keyOf(owner, formKey));
  if (text === null) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
    const entries = Object.entries(parsed).filter(([, value]) => typeof value === 'string');
    return Object.fromEntries(entries) as DraftValues;
  } catch {
    return null;
  }
}

export function discardDraft(
  owner: DraftOwner,
  formKey: string,
  storage: Storage = sessionStorage,
): void {
  storage.removeItem(keyOf(owner, formKey));
}

/** Deliberate sign-out: no draft of anyone stays in this tab. */
export function clearAllDrafts(storage: Storage = sessionStorage): void {
  for (const key of Object.keys(storage)) {
    if (key.startsWith(PREFIX)) storage.removeItem(key);
  }
}
