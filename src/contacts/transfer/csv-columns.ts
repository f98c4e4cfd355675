// Which contact field a CSV column holds, guessed from its header as the big programs write
// it: Google Contacts (old and new), Outlook and Outlook.com, Thunderbird, Apple-style and
// plain spreadsheets ("Name", "Email", "Phone"). The preview shows the guess; the person can
// change any column before anything is written.
import { type Candidate, candidateOf, contactInput, values } from './candidate.ts';

export const FIELDS = {
  name: 'Full name',
  prefix: 'Name prefix',
  given: 'First name',
  middle: 'Middle name',
  family: 'Last name',
  suffix: 'Name suffix',
  email: 'Email',
  phone: 'Phone',
  company: 'Company',
  notes: 'Notes',
  ignore: 'Not imported',
} as const;

export type Field = keyof typeof FIELDS;

const EXACT: Readonly<Record<string, Field>> = {
  name: 'name',
  'full name': 'name',
  'display name': 'name',
  'file as': 'ignore',
  'first name': 'given',
  'given name': 'given',
  firstname: 'given',
  'middle name': 'middle',
  'additional name': 'middle',
  'last name': 'family',
  'family name': 'family',
  surname: 'family',
  lastname: 'family',
  title: 'prefix', // Outlook's "Title" is Mr./Ms.; its job title is "Job Title"
  'name prefix': 'prefix',
  prefix: 'prefix',
  suffix: 'suffix',
  'name suffix': 'suffix',
  company: 'company',
  organization: 'company',
  organisation: 'company',
  'organization name': 'company',
  'organization 1 name': 'company',
  notes: 'notes',
  note: 'notes',
};

/** Lower case, separators as single spaces: "E-mail 1 - Value" → "e mail 1 value". */
const normalise = (header: string) =>
  header
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

export function guessField(header: string): Field {
  const key = normalise(header);
  const exact = EXACT[key];
  if (exact) return exact;
  // Google: "E-mail 1 - Label" / "Phone 1 - Type" say which kind, not the value.
  if (/\b(label|type)$/.test(key)) return 'ignore';
  if (/\b(fax|pager|telex|yomi|phonetic|display name)\b/.test(key)) return 'ignore';
  if (
    /^(e ?mail|email|primary email|secondary email)\b/.test(key) ||
    /\be ?mail address\b/.test(key)
  )
    return 'email';
  if (/\b(phone|mobile|cell|telephone|tel)\b/.test(key)) return 'phone';
  return 'ignore';
}

export type Mapping = readonly Field[];

export function guessMapping(headers: readonly string[]): Mapping {
  return headers.map(guessField);
}

/** Google packs several values in one cell: "a@x.example ::: b@y.example". */
const many = (cell: string) => cell.split(' ::: ');

/**
 * A cell as written, back from the neutralising a spreadsheet export adds (a leading `'`
 * before =, +, - or @: csv-export.ts), so our own export comes back unchanged.
 */
export function cellText(cell: string | undefined): string {
  const text = cell ?? '';
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}

export function rowToCandidate(where: string, cells: readonly string[], mapping: Mapping) {
  const of = (field: Field) =>
    mapping.flatMap((f, i) => (f === field ? many(cellText(cells[i])) : []));
  const joined = (field: Field) => values(of(field)).join(' ');
  const name =
    joined('name') ||
    values(['prefix', 'given', 'middle', 'family', 'suffix'].map((f) => joined(f as Field))).join(
      ' ',
    ) ||
    joined('company');
  return candidateOf(
    where,
    contactInput({
      name,
      emails: values(of('email')),
      phones: values(of('phone')),
      company: values(of('company')).join(', '),
      notes: values(of('notes')).join('\n\n'),
    }),
  ) satisfies Candidate;
}
