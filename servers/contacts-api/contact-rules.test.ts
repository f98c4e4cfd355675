// The SPA's importer checks each card or row with shared/contact-rules.ts checkContact before
// sending; the API checks with its compiled schema. Both must give the same verdict, field
// by field and rule by rule, or the preview would promise what the API then refuses.
import fc from 'fast-check';
import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { checkContact } from '../shared/contact-rules.ts';
import { ContactInput } from './schemas.ts';
import { errorsOf } from './validation.ts';

const api = Compile(ContactInput);
/** Each side's violations, by field (the order they are found in says nothing). */
const verdicts = (value: unknown) => {
  const byField = <T extends { field: string }>(list: T[]) =>
    [...list].sort((a, b) => a.field.localeCompare(b.field));
  return { api: byField(errorsOf(api, value)), shared: byField(checkContact(value)) };
};

// Strings near every edge: empty, blank, any script, astral characters, U+0000, near limits.
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom('', ' ', '\u00a0', '\t', 'a\u0000b', '😀'.repeat(200), '😀'.repeat(201)),
  fc.integer({ min: 195, max: 205 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 1995, max: 2005 }).map((n) => 'n'.repeat(n)),
);
const email = fc.oneof(
  fc.emailAddress(),
  text,
  fc.constantFrom('a@b', '@b', 'a@', 'a b@c', 'a@@b', `${'e'.repeat(250)}@x.ex`),
);
const phone = fc.oneof(
  fc.constantFrom('+1 202 555 0143 ext. 12', '030/1234-56', '(0) 1 23', 'x12', '+', '12x', '1 x 2'),
  fc.stringMatching(/^\+?[0-9 ().\-/]{0,44}(x ?[0-9]{1,3})?$/),
  text,
);
const anything = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), text);
const contactLike = fc.record(
  {
    name: fc.oneof(text, anything),
    emails: fc.oneof(fc.array(email, { maxLength: 12 }), anything),
    phones: fc.oneof(fc.array(phone, { maxLength: 12 }), anything),
    company: fc.oneof(text, fc.constant(null), anything),
    notes: fc.oneof(text, fc.constant(null), anything),
    version: fc.integer(),
  },
  { requiredKeys: [] },
);

describe('the shared contact rules', () => {
  it('give the API schema’s verdict, field and rule, for any value', () => {
    fc.assert(
      fc.property(fc.oneof(contactLike, anything, fc.array(text)), (value) => {
        const { api: byApi, shared } = verdicts(value);
        expect(shared.length === 0).toBe(byApi.length === 0);
        // The API's validator stops at 8 raw errors (TypeBox maxErrors; a field of the
        // string-or-null kind makes 3), so it may name fewer fields than there are.
        if (shared.length <= 2) expect(shared).toEqual(byApi);
        else for (const error of byApi) expect(shared).toContainEqual(error);
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    [{ name: 'Zoë Ødegård', emails: ['zoe@fjord.example'], phones: ['+47 22 33 44 55'] }, []],
    [{ name: 'a', phones: ['(408) 555-0123', '+1 (408) 555-0123 x12'] }, []],
    [{ name: '   ' }, [{ field: 'name', rule: 'format' }]],
    [{ name: 'a', emails: ['nope'] }, [{ field: 'emails.0', rule: 'format' }]],
    [{ name: 'a', phones: Array(11).fill('1') }, [{ field: 'phones', rule: 'max-items' }]],
    [{ name: 'a', notes: 'x\u0000' }, [{ field: 'notes', rule: 'no-nul' }]],
    [{ name: 'a', extra: 1 }, [{ field: 'extra', rule: 'unknown-field' }]],
  ])('%j → %j', (value, expected) => {
    const { api: byApi, shared } = verdicts(value);
    expect(shared.map(({ field, rule }) => ({ field, rule }))).toEqual(expected);
    expect(byApi.map(({ field, rule }) => ({ field, rule }))).toEqual(expected);
  });
});
