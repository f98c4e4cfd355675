// Brings this tab's copy of the address book up to date: the first page asked with the
// list's ETag (If-None-Match), so an unchanged list costs a 304 with no body and nothing
// parsed; a changed one is read again page by page and merged (contact-merge.ts), so only
// what changed is replaced on screen, and the other tabs are handed the changes. The API has no "changes since version V" yet: what
// that would save is measured in BENCHMARKS.md (bench/contacts-revalidation.ts).
import { cacheEntry } from './contact-cache.ts';
import { cacheRefreshed, refreshMark } from './contact-cache-changes.ts';
import { listContactsPageIfChanged, listRemainingContacts } from './contacts-api.ts';
import type { ContactsApi } from './contacts-http.ts';
import { shareRefresh } from './contacts-sync.ts';

/** `unchanged`: a 304; `changed`: read again and merged; `not-loaded`: no whole list yet. */
export type RefreshOutcome = 'unchanged' | 'changed' | 'not-loaded';

const PAGE_SIZE = 200; // the largest the API serves

export async function refreshContacts(
  api: ContactsApi,
  owner: string,
  signal?: AbortSignal,
): Promise<RefreshOutcome> {
  const entry = cacheEntry(owner);
  if (!entry) return 'not-loaded'; // still streaming in: that read is fresh enough
  const mark = refreshMark();
  const query = { limit: PAGE_SIZE };
  const first = await listContactsPageIfChanged(api, query, entry.etag, signal);
  if (!first) return 'unchanged';
  const all = await listRemainingContacts(api, first, signal);
  const events = cacheRefreshed(owner, all, first.etag, mark);
  shareRefresh(owner, events, entry.etag, cacheEntry(owner)?.etag ?? null);
  return 'changed';
}
