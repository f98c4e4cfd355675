// One card or row of an imported file, as the contact it would become and what is wrong
// with it (the API's own rules, shared/contact-rules.ts), before anything is sent.
import { checkContact } from '../../../servers/shared/contact-rules.ts';
import type { ContactInput } from '../contact.ts';

export interface ImportProblem {
  /** `name`, `emails.1`…, or `(card)` / `(row)` when the item could not be read at all. */
  field: string;
  /** A rule of shared/contact-rules.ts, or `unreadable`. */
  rule: string;
  message: string;
}

export interface Candidate {
  /** Where it is in the file, for the report: "card 4 (line 31)", "line 12". */
  where: string;
  input: ContactInput;
  problems: ImportProblem[];
}

export function candidateOf(where: string, input: ContactInput): Candidate {
  return { where, input, problems: checkContact(input) };
}

export function unreadable(where: string, field: string, message: string): Candidate {
  return { where, input: { name: '' }, problems: [{ field, rule: 'unreadable', message }] };
}

/** The trimmed, non-empty values, each once, in order. */
export function values(list: readonly (string | undefined | null)[]): string[] {
  const seen = new Set<string>();
  for (const value of list) {
    const trimmed = value?.trim();
    if (trimmed) seen.add(trimmed);
  }
  return [...seen];
}

/** The contact's fields as the API takes them: empty lists left out, empty text as null. */
export function contactInput(fields: {
  name: string;
  emails: string[];
  phones: string[];
  company: string;
  notes: string;
}): ContactInput {
  const input: ContactInput = { name: fields.name.trim() };
  if (fields.emails.length > 0) input.emails = fields.emails;
  if (fields.phones.length > 0) input.phones = fields.phones;
  const company = fields.company.trim();
  const notes = fields.notes.trim();
  if (company) input.company = company;
  if (notes) input.notes = notes;
  return input;
}
