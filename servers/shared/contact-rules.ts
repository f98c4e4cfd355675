// The rules a contact must meet, in one place for everyone who checks them: the contacts API
// builds its JSON Schema from these limits and patterns (contacts-api/schemas.ts), which
// checks a single create, an update and each item of a batch import alike; the SPA's
// importer runs checkContact on each card or row before anything is sent, so its preview can
// list what will be skipped and why. contact-rules.test.ts holds checkContact to the very
// verdicts of the API's compiled schema, field by field.

export const CONTACT_LIMITS = {
  name: 200,
  company: 200,
  notes: 2000,
  emails: 10,
  email: 254, // RFC 5321 path limit
  phones: 10,
  phone: 40,
} as const;

/** At least one non-space character; any script; kept as sent. */
export const NAME_PATTERN = '\\S';
// Deliberately loose: one @ with something on both sides, no spaces. Stricter checks reject
// real (internationalised) addresses; delivery is the only true test.
export const EMAIL_PATTERN = '^[^\\s@]+@[^\\s@]+$';
/**
 * Digits with the usual separators, an optional leading + or area code in brackets
 * ("(408) 555-0123", as US contacts are written), and an optional extension.
 */
export const PHONE_PATTERN = '^\\+?\\(?[0-9][0-9 ().\\-/]*((x|ext\\.?) ?[0-9]+)?$';

/** Stable names of the rules, for reports ("card 4, emails.1: format"). */
export type ContactRule =
  | 'required'
  | 'type'
  | 'min-length'
  | 'max-length'
  | 'max-items'
  | 'format'
  | 'unknown-field'
  | 'no-nul';

export interface RuleViolation {
  /** Dotted path: `name`, `emails.1`, or `(root)` for the value itself. */
  field: string;
  rule: ContactRule;
  message: string;
}

/** The API's wording for each rule (contacts-api/validation.ts answers the same). */
export function ruleMessage(rule: ContactRule, limit?: number): string {
  switch (rule) {
    case 'required':
      return 'is required';
    case 'type':
      return 'has the wrong type';
    case 'min-length':
      return `must not have fewer than ${limit} characters`;
    case 'max-length':
      return `must not have more than ${limit} characters`;
    case 'max-items':
      return `must not have more than ${limit} items`;
    case 'format':
      return 'is not in a valid form';
    case 'unknown-field':
      return 'is not a known field';
    case 'no-nul':
      return 'must not contain U+0000';
  }
}

const NAME = new RegExp(NAME_PATTERN, 'u');
const EMAIL = new RegExp(EMAIL_PATTERN, 'u');
const PHONE = new RegExp(PHONE_PATTERN, 'u');
const FIELDS = new Set(['name', 'emails', 'phones', 'company', 'notes']);

/** Length as JSON Schema counts it: code points, not UTF-16 units. */
function length(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

/**
 * What is wrong with `value` as a contact (a create's body), one violation per field, the
 * first rule it breaks; empty when it is valid. As the API does, U+0000 is looked for only
 * once every other rule holds.
 */
export function checkContact(value: unknown): RuleViolation[] {
  const out: RuleViolation[] = [];
  const nul: RuleViolation[] = [];
  const add = (field: string, rule: ContactRule, limit?: number) =>
    (rule === 'no-nul' ? nul : out).push({ field, rule, message: ruleMessage(rule, limit) });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    add('(root)', 'type');
    return out;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) if (!FIELDS.has(key)) add(key, 'unknown-field');

  const text = (field: string, item: unknown, max: number, pattern?: RegExp, min = 0) => {
    if (typeof item !== 'string') return add(field, 'type');
    const n = length(item);
    if (n < min) return add(field, 'min-length', min);
    if (n > max) return add(field, 'max-length', max);
    if (pattern && !pattern.test(item)) return add(field, 'format');
    if (item.includes('\u0000')) add(field, 'no-nul');
  };
  const list = (field: string, items: unknown, maxItems: number, check: typeof text) => {
    if (items === undefined) return;
    if (!Array.isArray(items)) return add(field, 'type');
    if (items.length > maxItems) return add(field, 'max-items', maxItems);
    items.forEach((item, i) => {
      check(`${field}.${i}`, item, 0);
    });
  };
  const nullable = (field: string, item: unknown, max: number) => {
    if (item === undefined || item === null) return;
    text(field, item, max);
  };

  if (!('name' in record)) add('name', 'required');
  else text('name', record.name, CONTACT_LIMITS.name, NAME, 1);
  list('emails', record.emails, CONTACT_LIMITS.emails, (field, item) =>
    text(field, item, CONTACT_LIMITS.email, EMAIL, 3),
  );
  list('phones', record.phones, CONTACT_LIMITS.phones, (field, item) =>
    text(field, item, CONTACT_LIMITS.phone, PHONE, 1),
  );
  nullable('company', record.company, CONTACT_LIMITS.company);
  nullable('notes', record.notes, CONTACT_LIMITS.notes);
  return out.length > 0 ? out : nul;
}
