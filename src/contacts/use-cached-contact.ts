// One contact as this tab's cached address book has it now: a screen opened at one version
// learns of a newer one saved, or a delete, in another tab or found by a refresh.
import { useMemo, useSyncExternalStore } from 'react';
import type { Contact } from './contact.ts';
import { cachedContacts, subscribeContacts } from './contact-cache.ts';

/** The cached contact; null when the whole list is here without it; undefined: not known. */
export function useCachedContact(
  owner: string | undefined,
  id: string,
): Contact | null | undefined {
  const list = useSyncExternalStore(subscribeContacts, () =>
    owner === undefined ? undefined : cachedContacts(owner),
  );
  return useMemo(
    () => (list === undefined ? undefined : (list.find((c) => c.id === id) ?? null)),
    [list, id],
  );
}

/** What happened elsewhere to `opened` since it was read, as far as this tab knows. */
export function changedElsewhere(
  opened: Contact,
  cached: Contact | null | undefined,
): 'changed' | 'deleted' | null {
  if (cached === null) return 'deleted';
  return cached && cached.version > opened.version ? 'changed' : null;
}
