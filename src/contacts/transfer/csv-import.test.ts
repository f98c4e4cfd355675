// CSV files as the big programs write them, by hand from their documentation: Google Contacts
// (its current and its older format), Outlook (comma and "Unicode" UTF-16 with tabs,
// Windows-1252), Thunderbird, a spreadsheet saved with semicolons; each read, its columns
// guessed from the header, its rows turned into contacts with their line numbers.
import { describe, expect, it } from 'vitest';
import { guessMapping } from './csv-columns.ts';
import { mapRows, readCsv } from './csv-import.ts';
import { decodeText } from './decode-text.ts';
import { readContactsFile } from './read-contacts-file.ts';

const lines = (rows: string[]) => `${rows.join('\r\n')}\r\n`;

async function contactsOf(text: string) {
  const table = await readCsv(text);
  const candidates = await mapRows(table.rows, guessMapping(table.headers));
  return candidates.map((c) => ({ where: c.where, ...c.input, problems: c.problems.length }));
}

const GOOGLE_NEW = lines([
  'First Name,Middle Name,Last Name,Phonetic First Name,Name Prefix,Name Suffix,Nickname,File As,Organization Name,Organization Title,Organization Department,Birthday,Notes,Photo,Labels,E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value,Address 1 - Label,Address 1 - Formatted',
  'Zoë,,Ødegård,,,,,,Fjord AS,Engineer,,1990-05-17,"Two lines,\nwith a comma",,* myContacts,* Home,zoe@fjord.example,Work,zoe@work.example,Mobile,+47 912 34 567,Home,"Storgata 1\nOslo"',
  '太郎,,山田,たろう,,,,,,,,,,,* myContacts,,taro@example.jp ::: yamada@example.jp,,,Mobile,+81-90-1234-5678 ::: 03-1234-5678,,',
]);

const GOOGLE_OLD = lines([
  'Name,Given Name,Additional Name,Family Name,Yomi Name,Given Name Yomi,Additional Name Yomi,Family Name Yomi,Name Prefix,Name Suffix,Initials,Nickname,Short Name,Maiden Name,Birthday,Gender,Location,Billing Information,Directory Server,Mileage,Occupation,Hobby,Sensitivity,Priority,Subject,Notes,Language,Photo,Group Membership,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,Organization 1 - Type,Organization 1 - Name',
  'Ada Lovelace,Ada,,Lovelace,,,,,,,,,,,,,,,,,,,,,,Analyst,,,* myContacts,* Home,ada@example.org,Mobile,+44 20 7946 0001,,Analytical Engines',
]);

// Outlook's "Export to a file": every column, quoted; filled from a map so none is misplaced.
const OUTLOOK_HEADERS =
  '"First Name","Middle Name","Last Name","Title","Suffix","Nickname","Given Yomi","Surname Yomi","E-mail Address","E-mail 2 Address","E-mail 3 Address","Home Phone","Home Phone 2","Business Phone","Business Phone 2","Mobile Phone","Car Phone","Other Phone","Primary Phone","Pager","Business Fax","Home Fax","Other Fax","Company Main Phone","Callback","Radio Phone","Telex","TTY/TDD Phone","IMAddress","Job Title","Department","Company","Office Location","Manager\'s Name","Assistant\'s Name","Assistant\'s Phone","Company Yomi","Business Street","Business City","Business State","Business Postal Code","Business Country/Region","Home Street","Home City","Home State","Home Postal Code","Home Country/Region","Other Street","Other City","Other State","Other Postal Code","Other Country/Region","Personal Web Page","Spouse","Schools","Hobby","Location","Web Page","Birthday","Anniversary","Notes"';
const outlookRow = (cells: Record<string, string>) =>
  OUTLOOK_HEADERS.split('","')
    .map((h) => h.replace(/"/g, ''))
    .map((h) => `"${cells[h] ?? ''}"`)
    .join(',');
const OUTLOOK = lines([
  OUTLOOK_HEADERS,
  outlookRow({
    'First Name': 'Jürgen',
    'Last Name': 'Müller',
    Title: 'Herr',
    'E-mail Address': 'juergen@strassenbau.example',
    'Business Phone': '+49 30 1234567',
    'Mobile Phone': '+49 170 1234567',
    'Business Fax': '+49 30 1234568',
    'Job Title': 'Bauleiter',
    Company: 'Straßenbau GmbH',
    'Business Street': 'Hauptstraße 1',
    'Business City': 'Berlin',
    Notes: 'Kunde seit 2019',
  }),
  outlookRow({
    'E-mail Address': 'info@acme.example',
    'Company Main Phone': '+1 212 555 0100',
    Company: 'ACME Corp',
  }),
]);

describe('CSV import', () => {
  it('reads Google Contacts’ current format: labels ignored, "a ::: b" cells split, line numbers kept', async () => {
    expect(await contactsOf(GOOGLE_NEW)).toEqual([
      {
        where: 'line 2',
        name: 'Zoë Ødegård',
        emails: ['zoe@fjord.example', 'zoe@work.example'],
        phones: ['+47 912 34 567'],
        company: 'Fjord AS',
        notes: 'Two lines,\nwith a comma',
        problems: 0,
      },
      {
        where: 'line 5', // the row before spans lines 2 to 4
        name: '太郎 山田',
        emails: ['taro@example.jp', 'yamada@example.jp'],
        phones: ['+81-90-1234-5678', '03-1234-5678'],
        problems: 0,
      },
    ]);
  });

  it('reads Google’s older format with its "Name" column', async () => {
    expect(await contactsOf(GOOGLE_OLD)).toEqual([
      {
        where: 'line 2',
        name: 'Ada Lovelace',
        emails: ['ada@example.org'],
        phones: ['+44 20 7946 0001'],
        company: 'Analytical Engines',
        notes: 'Analyst',
        problems: 0,
      },
    ]);
  });

  it('reads Outlook: "Title" as a name prefix, faxes left out, a company-only row named by its company', async () => {
    const table = await readCsv(OUTLOOK);
    const mapping = guessMapping(table.headers);
    expect(mapping[table.headers.indexOf('Business Fax')]).toBe('ignore');
    expect(mapping[table.headers.indexOf('Job Title')]).toBe('ignore');
    expect(await contactsOf(OUTLOOK)).toEqual([
      {
        where: 'line 2',
        name: 'Herr Jürgen Müller',
        emails: ['juergen@strassenbau.example'],
        phones: ['+49 30 1234567', '+49 170 1234567'],
        company: 'Straßenbau GmbH',
        notes: 'Kunde seit 2019',
        problems: 0,
      },
      {
        where: 'line 3',
        name: 'ACME Corp',
        emails: ['info@acme.example'],
        phones: ['+1 212 555 0100'],
        company: 'ACME Corp',
        problems: 0,
      },
    ]);
  });

  it('reads Thunderbird and a semicolon-separated spreadsheet', async () => {
    const thunderbird = lines([
      'First Name,Last Name,Display Name,Nickname,Primary Email,Secondary Email,Screen Name,Work Phone,Home Phone,Fax Number,Pager Number,Mobile Number,Home Address,Organization,Notes',
      'Grace,Hopper,Grace Hopper,,grace@navy.example,,,+1 202 555 0143,,,,,,US Navy,',
    ]);
    expect(await contactsOf(thunderbird)).toMatchObject([
      { name: 'Grace Hopper', emails: ['grace@navy.example'], phones: ['+1 202 555 0143'] },
    ]);
    const semicolons = lines([
      'Name;Email;Phone;Company',
      'Émile Zola;emile@example.fr;+33 1 23 45 67 89;Éditions',
    ]);
    expect(await contactsOf(semicolons)).toMatchObject([
      { name: 'Émile Zola', emails: ['emile@example.fr'], company: 'Éditions' },
    ]);
  });

  it('lists a row that breaks a rule with its line, and keeps the others', async () => {
    const text = lines([
      'Name,Email',
      'Good,good@example.org',
      ',nameless@example.org',
      'Bad,not-an-email',
    ]);
    const table = await readCsv(text);
    const candidates = await mapRows(table.rows, guessMapping(table.headers));
    expect(candidates.map((c) => [c.where, c.problems.map((p) => `${p.field} ${p.rule}`)])).toEqual(
      [
        ['line 2', []],
        ['line 3', ['name min-length']],
        ['line 4', ['emails.0 format']],
      ],
    );
  });

  it('reads many rows in chunks, in order, none lost', async () => {
    const rows = Array.from(
      { length: 5000 },
      (_, i) => `Person ${i},p${i}@example.org,"a ""quoted"" note\non two lines"`,
    );
    const table = await readCsv(lines(['Name,Email,Notes', ...rows]));
    expect(table.rows).toHaveLength(5000);
    expect(table.rows[4999]).toEqual({
      line: 2 + 4999 * 2,
      cells: ['Person 4999', 'p4999@example.org', 'a "quoted" note\non two lines'],
    });
  });
});

describe('text encodings', () => {
  const file = (bytes: Uint8Array, name = 'contacts.csv') => ({
    name,
    size: bytes.length,
    arrayBuffer: async () => bytes.slice().buffer,
  });
  const utf16 = (text: string, littleEndian: boolean) => {
    const bytes = new Uint8Array(2 + text.length * 2);
    bytes.set(littleEndian ? [0xff, 0xfe] : [0xfe, 0xff]);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < text.length; i += 1)
      view.setUint16(2 + i * 2, text.charCodeAt(i), littleEndian);
    return bytes;
  };
  const outlookUnicode =
    'First Name\tLast Name\tE-mail Address\r\nJürgen\tMüller\tj@example.de\r\n';

  it.each([
    [
      'UTF-8 with a BOM',
      new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('Name\r\nZoë\r\n')]),
      'utf-8',
      'Zoë',
    ],
    ['UTF-8 without', new TextEncoder().encode('Name\r\nZoë\r\n'), 'utf-8', 'Zoë'],
    ['UTF-16 LE (Outlook "Unicode")', utf16('Name\r\nZoë\r\n', true), 'utf-16le', 'Zoë'],
    ['UTF-16 BE', utf16('Name\r\nZoë\r\n', false), 'utf-16be', 'Zoë'],
    [
      'Windows-1252',
      // (Node reads 0x80-0x9f as Latin-1, browsers as Windows-1252: no € here.)
      new Uint8Array([...new TextEncoder().encode('Name\r\nZo'), 0xeb, 13, 10]),
      'windows-1252',
      'Zoë',
    ],
  ])('decodes %s', (_, bytes, encoding, name) => {
    const decoded = decodeText(bytes);
    expect(decoded.encoding).toBe(encoding);
    expect(decoded.text.split('\r\n')[1]).toBe(name);
  });

  it('reads an Outlook "Unicode text" file: UTF-16 LE, tab-separated', async () => {
    const read = await readContactsFile(file(utf16(outlookUnicode, true), 'contacts.txt'));
    if (read.kind !== 'csv') throw new Error('not read as CSV');
    expect(read.encoding).toBe('utf-16le');
    expect(read.table.rows[0]?.cells).toEqual(['Jürgen', 'Müller', 'j@example.de']);
    expect(read.mapping).toEqual(['given', 'family', 'email']);
  });

  it('says clearly when a file is too large, empty, of the wrong type or holds no cards', async () => {
    const big = {
      name: 'all.vcf',
      size: 31 * 1024 * 1024,
      arrayBuffer: async () => new ArrayBuffer(0),
    };
    await expect(readContactsFile(big)).rejects.toThrow(
      'This file is 31 MB; the most this page reads is 30 MB.',
    );
    await expect(readContactsFile(file(new Uint8Array(0)))).rejects.toMatchObject({
      code: 'empty',
    });
    const png = new Uint8Array([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48,
    ]);
    await expect(readContactsFile(file(png, 'photo.png'))).rejects.toMatchObject({
      code: 'wrong-type',
    });
    await expect(
      readContactsFile(file(new TextEncoder().encode('hello'), 'notes.txt')),
    ).rejects.toMatchObject({ code: 'wrong-type' });
    await expect(
      readContactsFile(file(new TextEncoder().encode('VERSION:3.0\nFN:x\n'), 'x.vcf')),
    ).rejects.toMatchObject({ code: 'malformed' });
  });
});
