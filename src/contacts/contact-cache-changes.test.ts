// A refresh lands after the pages were read: what was saved or deleted here meanwhile stays.
import { beforeEach, describe, expect, it } from 'vitest';
import { makeContact } from '../test/contact-fixture.ts';
import { cacheContacts, cachedContacts, cacheEntry, forgetContacts } from './contact-cache.ts';
import {
  cacheContact,
  cacheRefreshed,
  refreshMark,
  uncacheContact,
} from './contact-cache-changes.ts';

const owner = 'https://idp.example ada';
const ada = makeContact('a', 'Ada Lovelace');
const grace = makeContact('g', 'Grace Hopper');
const names = () => cachedContacts(owner)?.map((c) => c.name);

describe('the cached list and a refresh', () => {
  beforeEach(() => {
    forgetContacts();
    cacheContacts(owner, [ada, grace], '"p.1"');
  });

  it('takes the refreshed list and its ETag', () => {
    const bob = makeContact('b', 'Bob Kahn');
    cacheRefreshed(owner, [ada, bob, grace], '"p.2"', refreshMark());
    expect(names()).toEqual(['Ada Lovelace', 'Bob Kahn', 'Grace Hopper']);
    expect(cacheEntry(owner)?.etag).toBe('"p.2"');
  });

  it('keeps a create and a delete made while the pages were read', () => {
    const mark = refreshMark();
    cacheContact(owner, makeContact('c', 'Carl Sagan'));
    uncacheContact(owner, 'a');
    cacheRefreshed(owner, [ada, grace], '"p.2"', mark); // read before both
    expect(names()).toEqual(['Carl Sagan', 'Grace Hopper']);
  });

  it('does not re-apply changes made before the refresh started', () => {
    uncacheContact(owner, 'a');
    const mark = refreshMark();
    cacheRefreshed(owner, [makeContact('a', 'Ada Lovelace', { version: 2 }), grace], null, mark);
    expect(names()).toEqual(['Ada Lovelace', 'Grace Hopper']); // restored elsewhere: shown
  });

  it("never touches another owner's list", () => {
    cacheRefreshed('https://idp.example eve', [makeContact('x', 'Eve')], '"p.9"', refreshMark());
    cacheContact('https://idp.example eve', makeContact('y', 'Mallory'));
    expect(names()).toEqual(['Ada Lovelace', 'Grace Hopper']);
    expect(cachedContacts('https://idp.example eve')).toBeUndefined();
  });

  it('forgets the ETag when too many changes came meanwhile to re-apply them all', () => {
    const mark = refreshMark();
    for (let i = 0; i < 250; i += 1) cacheContact(owner, makeContact(`n${i}`, `New ${i}`));
    cacheRefreshed(owner, [ada, grace], '"p.2"', mark);
    expect(cacheEntry(owner)?.etag).toBeNull(); // the next refresh reads the whole list
  });
});
