// Contacts as CSV for spreadsheets and mail programs' import screens: UTF-8 with a BOM (so
// Excel reads accents and any script right), CRLF, a header row in Google Contacts' own
// column names ("Name", "E-mail 1 - Value", "Phone 1 - Value", "Organization 1 - Name",
// "Notes"; csv-columns.ts maps them back), as many email and phone columns as the most any
// contact has. Written by Papa Parse, with its formula neutralising: a cell that starts with
// =, +, -, @, tab or CR gets a leading `'`, so a spreadsheet shows it instead of running it
// (OWASP "CSV injection"; a phone "+44 …" included). Our import takes the `'` off again.
import Papa from 'papaparse';
import { yieldToMain } from '../../lib/yield-to-main.ts';
import type { Contact } from '../contact.ts';

const BOM = '\uFEFF';
const ROWS_PER_SLICE = 500;

export function csvHeader(contacts: readonly Contact[]): string[] {
  const most = (list: (c: Contact) => readonly string[]) =>
    Math.max(1, ...contacts.map((c) => list(c).length));
  return [
    'Name',
    ...Array.from({ length: most((c) => c.emails) }, (_, i) => `E-mail ${i + 1} - Value`),
    ...Array.from({ length: most((c) => c.phones) }, (_, i) => `Phone ${i + 1} - Value`),
    'Organization 1 - Name',
    'Notes',
  ];
}

export async function contactsToCsv(
  contacts: readonly Contact[],
  signal?: AbortSignal,
): Promise<string> {
  const header = csvHeader(contacts);
  const emails = header.filter((h) => h.startsWith('E-mail')).length;
  const phones = header.filter((h) => h.startsWith('Phone')).length;
  const row = (c: Contact) => [
    c.name,
    ...Array.from({ length: emails }, (_, i) => c.emails[i] ?? ''),
    ...Array.from({ length: phones }, (_, i) => c.phones[i] ?? ''),
    c.company ?? '',
    c.notes ?? '',
  ];
  const options = { newline: '\r\n', escapeFormulae: true, header: false };
  const parts = [Papa.unparse([header], options)];
  for (let i = 0; i < contacts.length; i += ROWS_PER_SLICE) {
    parts.push(Papa.unparse(contacts.slice(i, i + ROWS_PER_SLICE).map(row), options));
    await yieldToMain();
    signal?.throwIfAborted();
  }
  return `${BOM}${parts.join('\r\n')}\r\n`;
}
