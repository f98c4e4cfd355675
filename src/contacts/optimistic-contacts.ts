// Optimistic updates: while a create, edit or delete is on its way, the list already shows
// it; if the server refuses, the fetcher settles with an error and the list simply goes
// back to the server's truth (the form or dialog that sent it says what happened).
import { useMemo } from 'react';
import { type FetcherSubmitOptions, type useFetcher, useFetchers } from 'react-router';
import type { Contact, ContactInput } from './contact.ts';
import { withContact } from './contact-order.ts';

export type ContactChange =
  | { intent: 'create'; input: ContactInput; tempId: string }
  | { intent: 'update'; id: string; version: number; input: ContactInput }
  | { intent: 'delete'; id: string; version: number };

function isChange(value: unknown): value is ContactChange {
  return typeof value === 'object' && value !== null && 'intent' in value;
}

const refused = (data: unknown) => typeof data === 'object' && data !== null && 'error' in data;

/**
 * `contacts` with the changes on their way applied: this tab's (its fetchers) after
 * `otherTabs`' (contacts-sync.ts), so a change shows alike in every tab.
 */
export function useOptimisticContacts(
  contacts: readonly Contact[],
  otherTabs: readonly ContactChange[] = [],
) {
  const fetchers = useFetchers();
  const changes = [
    ...otherTabs,
    ...fetchers
      // After the action, until the list reloads; unless the server refused (then roll back).
      .filter((f) => f.state !== 'idle' && isChange(f.json) && !refused(f.data))
      .map((f) => f.json as ContactChange),
  ];
  // Keyed by content, so the list (and its search index) is rebuilt only when it changes.
  const signature = JSON.stringify(changes);
  // biome-ignore lint/correctness/useExhaustiveDependencies: signature stands for changes
  return useMemo(() => apply(contacts, changes), [contacts, signature]);
}

/**
 * Creates the API has stored, by temporary id. The action caches the stored contact at once,
 * while its fetcher stays busy until the redirect's navigation ends: without this the list
 * shows the new contact twice meanwhile (the pending copy and the stored one).
 */
const storedCreates = new Set<string>();

/** The create sent as `tempId` is stored (call before caching the stored contact). */
export function noteCreateStored(tempId: string): void {
  storedCreates.add(tempId);
}

function apply(contacts: readonly Contact[], changes: readonly ContactChange[]) {
  const pendingIds = new Set<string>();
  let list = contacts;
  for (const change of changes) {
    if (change.intent === 'create' && storedCreates.has(change.tempId)) continue;
    if (change.intent === 'delete') {
      list = list.filter((c) => c.id !== change.id);
      continue;
    }
    const id = change.intent === 'create' ? change.tempId : change.id;
    const base = list.find((c) => c.id === id);
    const now = new Date().toISOString();
    const contact: Contact = {
      id,
      emails: [],
      phones: [],
      company: null,
      notes: null,
      version: base?.version ?? 0,
      createdAt: base?.createdAt ?? now,
      updatedAt: now,
      ...change.input,
    };
    list = withContact(list, contact);
    pendingIds.add(id);
  }
  return { contacts: list, pendingIds };
}

type Fetcher = ReturnType<typeof useFetcher>;

/** Sends a change as JSON to `action`; the list shows it at once (see above). */
export function submitChange(
  fetcher: Fetcher,
  change: ContactChange,
  action: string,
  method: FetcherSubmitOptions['method'] = 'post',
): void {
  // ContactInput is plain JSON; its interface just lacks an index signature.
  const body = change as unknown as Parameters<Fetcher['submit']>[0];
  void fetcher.submit(body, { method, encType: 'application/json', action });
}
