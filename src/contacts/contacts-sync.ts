// The tabs of one browser keep one address book: a create, edit or delete sent from one tab
// shows in the others at once, first as pending (the same optimistic row), then as the API
// answered it, or rolled back; a refresh that found changes hands them over too. No tab
// asks the API for what another one already knows. IMPORTANT: only the contacts' own data
// goes over this channel (the message types below), never a token or a credential.
import { useSyncExternalStore } from 'react';
import { type TabBroadcast, tabBroadcast } from '../lib/tab-broadcast.ts';
import { applyContactEvents } from './contact-cache-changes.ts';
import type { ContactEvent } from './contact-merge.ts';
import type { ContactChange } from './optimistic-contacts.ts';

export type ContactsTabMessage =
  /** A change on its way to the API (`key`: this one change). */
  | { type: 'pending'; owner: string; key: string; change: ContactChange }
  /** How it ended: as the API answered it, or refused (null: rolled back). */
  | { type: 'settled'; owner: string; key: string; outcome: ContactEvent | null }
  /** A refresh read the list at ETag `to`, which had been `from`: these changed. */
  | {
      type: 'refreshed';
      owner: string;
      events: ContactEvent[];
      from: string | null;
      to: string | null;
    };

/** A change another tab sent is shown as pending for at most this long (the tab may close). */
const PENDING_FOR_MS = 120_000;

interface Pending {
  owner: string;
  change: ContactChange;
  timer: ReturnType<typeof setTimeout>;
}

const pending = new Map<string, Pending>();
const listeners = new Set<() => void>();
let snapshot: readonly Pending[] = [];
let channel: TabBroadcast<ContactsTabMessage> | undefined;

function changed(): void {
  snapshot = [...pending.values()];
  for (const listener of listeners) listener();
}

function settle(key: string): void {
  const known = pending.get(key);
  if (!known) return;
  clearTimeout(known.timer);
  pending.delete(key);
  changed();
}

function heard(message: ContactsTabMessage): void {
  switch (message.type) {
    case 'pending': {
      const timer = setTimeout(() => settle(message.key), PENDING_FOR_MS);
      pending.set(message.key, { owner: message.owner, change: message.change, timer });
      changed();
      return;
    }
    case 'settled':
      if (message.outcome) applyContactEvents(message.owner, [message.outcome]);
      settle(message.key);
      return;
    case 'refreshed':
      applyContactEvents(message.owner, message.events, message);
  }
}

/** This tab's place on the channel; it listens from the first use on. */
function joined(): TabBroadcast<ContactsTabMessage> {
  if (!channel) {
    channel = tabBroadcast<ContactsTabMessage>('oidc-contacts.contacts');
    channel.listen(heard);
  }
  return channel;
}

/** Starts hearing the other tabs (the contacts list calls it when it shows). */
export function hearOtherTabs(): void {
  joined();
}

/**
 * Sends `change` through `send`, telling the other tabs it is on its way and then how it
 * ended (`outcome` of the answer; a throw rolls it back there, and is thrown on here).
 */
export async function sendShared<R>(
  owner: string,
  change: ContactChange,
  send: () => Promise<R>,
  outcome: (answer: R) => ContactEvent,
): Promise<R> {
  const key = crypto.randomUUID();
  joined().post({ type: 'pending', owner, key, change });
  let answer: R;
  try {
    answer = await send();
  } catch (error) {
    joined().post({ type: 'settled', owner, key, outcome: null });
    throw error;
  }
  joined().post({ type: 'settled', owner, key, outcome: outcome(answer) });
  return answer;
}

/** A refresh here found `events` (the list went from ETag `from` to `to`). */
export function shareRefresh(
  owner: string,
  events: ContactEvent[],
  from: string | null,
  to: string | null,
): void {
  if (events.length > 0 || from !== to)
    joined().post({ type: 'refreshed', owner, events, from, to });
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** The changes other tabs have on their way for `owner`'s list, oldest first. */
export function useOtherTabsChanges(owner: string): ContactChange[] {
  const all = useSyncExternalStore(subscribe, () => snapshot);
  return all.filter((p) => p.owner === owner).map((p) => p.change);
}
