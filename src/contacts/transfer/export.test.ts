// Exports, read back by our own import: names in any script, commas, semicolons, line breaks
// and formula-looking cells come back as they were; the CSV opens right in a spreadsheet.
import { describe, expect, it } from 'vitest';
import { makeContact } from '../../test/contact-fixture.ts';
import { guessMapping } from './csv-columns.ts';
import { contactsToCsv } from './csv-export.ts';
import { mapRows, readCsv } from './csv-import.ts';
import { contactsToVcard } from './vcard-export.ts';
import { readVcards } from './vcard-import.ts';

const contacts = [
  makeContact(
    '4f1c9a52-1111-4c1e-9a1a-000000000001',
    'Zoë Ødegård 山田太郎 محمد علي Ἀριστοτέλης 👩🏽‍💻'.repeat(2),
    {
      emails: ['zoe@fjord.example', 'z@x.example'],
      phones: ['+47 22 33 44 55 ext. 12', '(408) 555-0123'],
      company: 'Fjord; AS, Sales',
      notes: 'line one\nline two, with "quotes"; and \\ a backslash',
    },
  ),
  makeContact('4f1c9a52-1111-4c1e-9a1a-000000000002', '=HYPERLINK("http://evil.example","x")', {
    notes: '@SUM(A1)',
    company: '-2+3',
  }),
  makeContact('4f1c9a52-1111-4c1e-9a1a-000000000003', 'Plain'),
];
const asInputs = () =>
  contacts.map(({ name, emails, phones, company, notes }) => {
    const input: Record<string, unknown> = { name };
    if (emails.length) input.emails = emails;
    if (phones.length) input.phones = phones;
    if (company) input.company = company;
    if (notes) input.notes = notes;
    return input;
  });

describe('vCard 4.0 export', () => {
  it('writes RFC 6350 cards that come back the same', async () => {
    const text = await contactsToVcard(contacts);
    expect(text.startsWith('BEGIN:VCARD\r\nVERSION:4.0\r\nFN:')).toBe(true);
    expect(
      text.split('\r\n').every((line) => new TextEncoder().encode(line).length <= 75 + 4),
    ).toBe(true);
    const read = await readVcards(text);
    expect(read.candidates.map((c) => c.input)).toEqual(asInputs());
  });
});

describe('CSV export', () => {
  it('writes a BOM, a header row, CRLF, and neutralises cells a spreadsheet would run', async () => {
    const text = await contactsToCsv(contacts);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const [header, , formula] = text.slice(1).split('\r\n');
    expect(header).toBe(
      'Name,E-mail 1 - Value,E-mail 2 - Value,Phone 1 - Value,Phone 2 - Value,Organization 1 - Name,Notes',
    );
    expect(formula).toBe(`"'=HYPERLINK(""http://evil.example"",""x"")",,,,,"'-2+3","'@SUM(A1)"`);
    // No cell starts with a formula character.
    for (const cell of text.slice(1).split(/,|\r\n/)) expect(cell).not.toMatch(/^"?[=+\-@]/);
  });

  it('comes back the same through our CSV import', async () => {
    const text = await contactsToCsv(contacts);
    const table = await readCsv(text.slice(1));
    const read = await mapRows(table.rows, guessMapping(table.headers));
    expect(read.map((c) => c.input)).toEqual(asInputs());
  });
});
