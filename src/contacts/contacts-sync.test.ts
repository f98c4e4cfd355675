// Another tab's change shows here at once: pending first, then as the API answered it, or
// rolled back. The "other tab" is a second BroadcastChannel on the same name.
import { act, renderHook } from '@testing-library/react';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { makeContact } from '../test/contact-fixture.ts';
import { cacheContacts, cachedContacts, cacheEntry, forgetContacts } from './contact-cache.ts';
import {
  type ContactsTabMessage,
  hearOtherTabs,
  sendShared,
  shareRefresh,
  useOtherTabsChanges,
} from './contacts-sync.ts';
import type { ContactChange } from './optimistic-contacts.ts';

const owner = 'https://idp.example ada';
const ada = makeContact('a', 'Ada Lovelace');
const grace = makeContact('g', 'Grace Hopper');
const otherTab = new BroadcastChannel('oidc-contacts.contacts');
const heardThere: ContactsTabMessage[] = [];
otherTab.onmessage = (event: MessageEvent<ContactsTabMessage>) => heardThere.push(event.data);
afterAll(() => otherTab.close());

/** Sent from the other tab; resolves once this tab can have heard it. */
const fromOtherTab = async (message: ContactsTabMessage) => {
  otherTab.postMessage(message);
  await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
};
const heard = () => new Promise((resolve) => setTimeout(resolve, 20));
const names = () => cachedContacts(owner)?.map((c) => c.name);

describe('contacts between tabs', () => {
  beforeEach(() => {
    hearOtherTabs();
    forgetContacts();
    cacheContacts(owner, [ada, grace], '"p.1"');
    heardThere.length = 0;
  });

  it("shows another tab's pending create, then the contact the API made", async () => {
    const { result } = renderHook(() => useOtherTabsChanges(owner));
    const change: ContactChange = { intent: 'create', tempId: 'new-1', input: { name: 'Bob' } };
    await fromOtherTab({ type: 'pending', owner, key: 'k1', change });
    expect(result.current).toEqual([change]);
    const bob = makeContact('b', 'Bob');
    await fromOtherTab({ type: 'settled', owner, key: 'k1', outcome: { saved: bob } });
    expect(result.current).toEqual([]);
    expect(names()).toEqual(['Ada Lovelace', 'Bob', 'Grace Hopper']);
  });

  it("rolls another tab's refused change back", async () => {
    const { result } = renderHook(() => useOtherTabsChanges(owner));
    const change: ContactChange = { intent: 'delete', id: 'a', version: 1 };
    await fromOtherTab({ type: 'pending', owner, key: 'k2', change });
    expect(result.current).toEqual([change]);
    await fromOtherTab({ type: 'settled', owner, key: 'k2', outcome: null });
    expect(result.current).toEqual([]);
    expect(names()).toEqual(['Ada Lovelace', 'Grace Hopper']);
  });

  it("applies another tab's edit and delete, and never to another owner's list", async () => {
    const edited = { ...grace, company: 'US Navy', version: 2 };
    await fromOtherTab({ type: 'settled', owner, key: 'k3', outcome: { saved: edited } });
    await fromOtherTab({ type: 'settled', owner, key: 'k4', outcome: { deleted: 'a' } });
    expect(cachedContacts(owner)).toEqual([edited]);
    const eve = 'https://idp.example eve';
    await fromOtherTab({ type: 'settled', owner: eve, key: 'k5', outcome: { deleted: 'g' } });
    const { result } = renderHook(() => useOtherTabsChanges(owner));
    const change: ContactChange = { intent: 'delete', id: 'g', version: 2 };
    await fromOtherTab({ type: 'pending', owner: eve, key: 'k6', change });
    expect(cachedContacts(owner)).toEqual([edited]);
    expect(result.current).toEqual([]);
  });

  it('tells the other tabs of a change here: pending, then how it ended', async () => {
    const change: ContactChange = { intent: 'update', id: 'a', version: 1, input: { name: 'Ada' } };
    const saved = { ...ada, name: 'Ada', version: 2 };
    await sendShared(
      owner,
      change,
      async () => saved,
      (answer) => ({ saved: answer }),
    );
    await heard();
    expect(heardThere.map((m) => m.type)).toEqual(['pending', 'settled']);
    expect(heardThere[0]).toMatchObject({ owner, change });
    const [pending, settled] = heardThere;
    expect(settled).toMatchObject({ outcome: { saved } });
    expect(pending?.type === 'pending' && settled?.type === 'settled').toBe(true);
    if (pending?.type === 'pending' && settled?.type === 'settled') {
      expect(settled.key).toBe(pending.key);
    }
  });

  it('tells them to roll back when the API refused, and still throws here', async () => {
    const change: ContactChange = { intent: 'delete', id: 'a', version: 1 };
    const refused = sendShared(
      owner,
      change,
      () => Promise.reject(new Error('412')),
      () => ({
        deleted: 'a',
      }),
    );
    await expect(refused).rejects.toThrow('412');
    await heard();
    expect(heardThere[1]).toMatchObject({ type: 'settled', outcome: null });
  });

  it("takes another tab's refresh: its changes, and its ETag if both had the same list", async () => {
    const bob = makeContact('b', 'Bob');
    await fromOtherTab({
      type: 'refreshed',
      owner,
      events: [{ saved: bob }],
      from: '"p.1"',
      to: '"p.2"',
    });
    expect(names()).toEqual(['Ada Lovelace', 'Bob', 'Grace Hopper']);
    expect(cacheEntry(owner)?.etag).toBe('"p.2"');
    await fromOtherTab({ type: 'refreshed', owner, events: [], from: '"p.7"', to: '"p.8"' });
    expect(cacheEntry(owner)?.etag).toBe('"p.2"'); // not the list it had
    shareRefresh(owner, [], '"p.2"', '"p.2"');
    await heard();
    expect(heardThere).toEqual([]); // nothing new: nothing sent
  });
});
