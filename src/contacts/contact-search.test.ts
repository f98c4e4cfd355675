import { describe, expect, it } from 'vitest';
import { makeContact } from '../test/contact-fixture.ts';
import { withContact } from './contact-order.ts';
import { buildSearchIndex, searchContacts } from './contact-search.ts';

const contact = makeContact;

const people = [
  contact('1', 'Zoë Ødegård', { emails: ['zoe@fjord.example'] }),
  contact('2', 'Jürgen Müller', { company: 'Analytical Engines' }),
  contact('3', 'Ada Lovelace', { phones: ['+44 20 7946 0018'] }),
];
const names = (query: string) => searchContacts(buildSearchIndex(people), query).map((c) => c.name);

describe('searchContacts', () => {
  it('returns everyone for an empty or blank query', () => {
    expect(names('')).toHaveLength(3);
    expect(names('  ,')).toHaveLength(3);
  });
  it('ignores case and accents, like the API', () => {
    expect(names('ZOE odeg')).toEqual(['Zoë Ødegård']);
    expect(names('muller')).toEqual(['Jürgen Müller']);
  });
  it('needs every word to start a word of the name, emails, phones or company', () => {
    expect(names('analyt eng')).toEqual(['Jürgen Müller']);
    expect(names('fjord')).toEqual(['Zoë Ødegård']);
    expect(names('lace')).toEqual([]); // inside a word, not at its start
    expect(names('ada jurgen')).toEqual([]);
  });
  it('finds a phone by its digits run together', () => {
    expect(names('+4420')).toEqual(['Ada Lovelace']);
    expect(names('7946 0018')).toEqual(['Ada Lovelace']);
  });
});

describe('withContact', () => {
  it('inserts and moves contacts in the order by folded name', () => {
    const sorted = [...people].sort((a, b) => a.name.localeCompare(b.name));
    const added = withContact(sorted, contact('4', 'émile Zola'));
    expect(added.map((c) => c.name)).toEqual([
      'Ada Lovelace',
      'émile Zola',
      'Jürgen Müller',
      'Zoë Ødegård',
    ]);
    const renamed = withContact(added, contact('3', 'Zz Lovelace'));
    expect(renamed.map((c) => c.id)).toEqual(['4', '2', '1', '3']);
  });
});
