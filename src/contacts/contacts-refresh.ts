// Brings this tab's copy of the address book up to date: the first page asked with the
// list's ETag (If-None-Match), so an unchanged list costs a 304 with no body and nothing
// parsed; a changed one is read again page by page and merged (contact-merge.ts), so only
// what changed is replaced on screen, and the other tabs are handed the changes. The API has no "changes since version V" yet: what
// that would save is measured in BENCHMARKS.md (bench/contacts-revalidation.ts).
import { cacheEntry, loadingContacts } from './contact-cache.ts';
import { cacheRefreshed, refreshMark } from './contact-cache-changes.ts';
import { listContactsPageIfChanged, listRemainingContacts } from './contacts-api.ts';
import type { ContactsApi } from './contacts-http.ts';
import { shareRefresh } from './contacts-sync.ts';

/**
 * `unchanged`: a 304; `changed`: read again and merged; `not-loaded`: no whole list here, nor
 * on its way (a list still streaming in is waited for, then refreshed).
 */
export type RefreshOutcome = 'unchanged' | 'changed' | 'not-loaded';

const PAGE_SIZE = 200; // the largest the API serves

export async function refreshContacts(
  api: ContactsApi,
  owner: string,
  signal?: AbortSignal,
): Promise<RefreshOutcome> {
  const entry = cacheEntry(owner);
  if (!entry) {
    // Still streaming in: its pages may have been read before the change the caller knows
    // of (an import that just ended), so ask again once it is cached. The first page's ETag
    // it is cached with makes that a 304 when nothing changed meanwhile.
    const loading = loadingContacts(owner);
    if (!loading) return 'not-loaded';
    await loading.catch(() => undefined);
    signal?.throwIfAborted();
    return cacheEntry(owner) ? refreshContacts(api, owner, signal) : 'not-loaded';
  }
  const mark = refreshMark();
  const query = { limit: PAGE_SIZE };
  const first = await listContactsPageIfChanged(api, query, entry.etag, signal);
  if (!first) return 'unchanged';
  const all = await listRemainingContacts(api, first, signal);
  const events = cacheRefreshed(owner, all, first.etag, mark);
  shareRefresh(owner, events, entry.etag, cacheEntry(owner)?.etag ?? null);
  return 'changed';
}
