// A refresh replaces only what changed: what the list would show after a reload, with every
// unchanged contact still the same object (so its row and search words are reused).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeContact } from '../test/contact-fixture.ts';
import type { Contact } from './contact.ts';
import { applyContactEvent, changesBetween, mergeContacts } from './contact-merge.ts';
import { byName } from './contact-order.ts';

const ada = makeContact('a', 'Ada Lovelace');
const grace = makeContact('g', 'Grace Hopper');
const katherine = makeContact('k', 'Katherine Johnson');
const current: readonly Contact[] = [ada, grace, katherine];
/** The same contacts as a new answer of the API would hold them: equal, not identical. */
const reread = (list: readonly Contact[]) => list.map((c) => structuredClone(c));
const ids = (list: readonly Contact[]) => list.map((c) => c.id);

describe('mergeContacts', () => {
  it('returns the very list on screen when nothing changed', () => {
    expect(mergeContacts(current, reread(current))).toBe(current);
  });

  it('replaces an edited contact only; the others keep their objects', () => {
    const fresh = reread(current);
    fresh[1] = { ...grace, company: 'US Navy', version: 2 };
    const merged = mergeContacts(current, fresh);
    expect(merged).not.toBe(current);
    expect(merged[0]).toBe(ada);
    expect(merged[1]).toEqual(fresh[1]);
    expect(merged[2]).toBe(katherine);
  });

  it('adds a contact created elsewhere where the API puts it', () => {
    const bob = makeContact('b', 'Bob Kahn');
    const fresh = [...reread([ada]), bob, ...reread([grace, katherine])];
    const merged = mergeContacts(current, fresh);
    expect(ids(merged)).toEqual(['a', 'b', 'g', 'k']);
    expect(merged[0]).toBe(ada);
    expect(merged[2]).toBe(grace);
  });

  it('drops a contact deleted elsewhere', () => {
    const merged = mergeContacts(current, reread([ada, katherine]));
    expect(merged).toEqual([ada, katherine]);
    expect(merged[1]).toBe(katherine);
  });

  it('moves a contact renamed elsewhere to where its new name sorts', () => {
    const renamed = { ...ada, name: 'Zelda Ada', version: 2 };
    const merged = mergeContacts(current, [...reread([grace, katherine]), renamed]);
    expect(ids(merged)).toEqual(['g', 'k', 'a']);
    expect(merged[0]).toBe(grace);
  });

  it('keeps a contact saved here after the fresh list was read (a higher version)', () => {
    const savedHere = { ...grace, notes: 'mine', version: 3 };
    const merged = mergeContacts([ada, savedHere, katherine], reread(current));
    expect(merged[1]).toBe(savedHere);
  });

  it('puts a newer contact kept from here where its new name sorts', () => {
    const renamedHere = { ...ada, name: 'Zoe', version: 2 };
    const merged = mergeContacts([grace, katherine, renamedHere], reread(current));
    expect(ids(merged)).toEqual(['g', 'k', 'a']);
    expect(merged[2]).toBe(renamedHere);
  });

  it('takes the fresh one when both changed and the fresh is newer', () => {
    const mine = { ...grace, version: 2, notes: 'mine' };
    const theirs = { ...grace, version: 3, notes: 'theirs' };
    expect(mergeContacts([ada, mine], [ada, theirs])[1]).toBe(theirs);
  });

  it('handles empty lists on either side', () => {
    const empty: readonly Contact[] = [];
    expect(mergeContacts(empty, reread(current))).toEqual(current);
    expect(mergeContacts(current, [])).toEqual([]);
    expect(mergeContacts(empty, [])).toBe(empty);
  });

  it('is a new list when only the order changed (same versions)', () => {
    const merged = mergeContacts(current, reread([grace, ada, katherine]));
    expect(ids(merged)).toEqual(['g', 'a', 'k']);
    expect(merged[0]).toBe(grace);
  });

  it('at 10,000 contacts with one change, reuses the 9,999 others', () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      makeContact(`id-${String(i).padStart(5, '0')}`, `Person ${String(i).padStart(5, '0')}`),
    );
    const fresh = reread(many);
    fresh[5_000] = { ...many[5_000]!, phones: ['+1 555 0100'], version: 2 };
    const merged = mergeContacts(many, fresh);
    expect(merged.filter((c, i) => c === many[i])).toHaveLength(9_999);
    expect(merged[5_000]?.phones).toEqual(['+1 555 0100']);
  });

  const versions = fc.uniqueArray(
    fc.record({
      id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
      version: fc.integer({ min: 1, max: 4 }),
    }),
    { selector: (c) => c.id },
  );
  const contactsOf = (list: { id: string; version: number }[]) =>
    list.map(({ id, version }) => makeContact(id, `Name ${id}`, { version })).sort(byName);

  it('always: the fresh ids, each at the higher of the two versions, reusing equal ones', () => {
    fc.assert(
      fc.property(versions, versions, (mine, theirs) => {
        const here = contactsOf(mine);
        const fresh = contactsOf(theirs);
        const merged = mergeContacts(here, fresh);
        expect(ids(merged)).toEqual(ids(fresh));
        for (const contact of merged) {
          const own = here.find((c) => c.id === contact.id);
          const read = fresh.find((c) => c.id === contact.id)!;
          expect(contact.version).toBe(Math.max(own?.version ?? 0, read.version));
          if (own && own.version >= read.version) expect(contact).toBe(own);
        }
      }),
    );
  });
});

describe('applyContactEvent', () => {
  it('puts a saved contact in name order, replacing its older version', () => {
    const renamed = { ...katherine, name: 'Abigail Adams', version: 2 };
    expect(ids(applyContactEvent(current, { saved: renamed }))).toEqual(['k', 'a', 'g']);
  });

  it('adds a new contact in name order', () => {
    const bob = makeContact('b', 'Bob Kahn');
    expect(ids(applyContactEvent(current, { saved: bob }))).toEqual(['a', 'b', 'g', 'k']);
  });

  it('ignores a save no newer than what the list holds (a late message)', () => {
    expect(applyContactEvent(current, { saved: { ...grace, notes: 'old' } })).toBe(current);
    const newer = [ada, { ...grace, version: 3 }, katherine];
    expect(applyContactEvent(newer, { saved: { ...grace, version: 2 } })).toBe(newer);
  });

  it('removes a deleted contact, and changes nothing for an unknown one', () => {
    expect(ids(applyContactEvent(current, { deleted: 'g' }))).toEqual(['a', 'k']);
    expect(applyContactEvent(current, { deleted: 'nobody' })).toBe(current);
  });
});

describe('changesBetween (what a refresh hands the other tabs)', () => {
  it('is nothing when the list is the same', () => {
    expect(changesBetween(current, current)).toEqual([]);
  });

  it('names each new or newer contact, and each one gone; applied, it gives the same list', () => {
    const bob = makeContact('b', 'Bob Kahn');
    const edited = { ...grace, company: 'US Navy', version: 2 };
    const after = mergeContacts(current, [ada, bob, edited]);
    const events = changesBetween(current, after);
    expect(events).toEqual([{ saved: bob }, { saved: edited }, { deleted: 'k' }]);
    expect(events.reduce(applyContactEvent, current)).toEqual(after);
  });
});
