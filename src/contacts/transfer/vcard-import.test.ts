// vCard files as the big programs write them, by hand from their documentation and the RFCs:
// Apple Contacts (3.0, grouped items, a folded photo), Google Contacts (3.0), Outlook (2.1,
// quoted-printable in Windows-1252), Android (2.1, quoted-printable UTF-8, a base64 photo
// ended by a blank line), RFC 6350's own 4.0 example, and broken cards among good ones.
import { describe, expect, it } from 'vitest';
import { isVcard21, vcard21To30 } from './vcard-21.ts';
import { readVcards, splitCards } from './vcard-import.ts';

const crlf = (lines: string[]) => `${lines.join('\r\n')}\r\n`;
const inputs = async (text: string) =>
  (await readVcards(text)).candidates.map((c) => ({ ...c.input, problems: c.problems }));

const APPLE = crlf([
  'BEGIN:VCARD',
  'VERSION:3.0',
  'PRODID:-//Apple Inc.//macOS 15.1//EN',
  'N:Appleseed;Johnny;;;',
  'FN:Johnny Appleseed',
  'ORG:Apple Inc.;',
  'EMAIL;type=INTERNET;type=WORK;type=pref:johnny_appleseed@mac.com',
  'item1.EMAIL;type=INTERNET:johnny@example.com',
  'item1.X-ABLabel:_$!<Other>!$_',
  'TEL;type=CELL;type=VOICE;type=pref:+1 (408) 555-5270',
  'TEL;type=IPHONE;type=CELL;type=VOICE:(408) 555-0123',
  'item2.ADR;type=WORK;type=pref:;;1 Infinite Loop;Cupertino;CA;95014;United States',
  'item2.X-ABADR:us',
  'NOTE:Met at WWDC\\nLikes apples\\, pears',
  'PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAASABIAAD/4QBMRXhpZgAATU0AKgAAAAgAAYdpAAQAAAABAAAAGgAAAAAAA6A',
  ' BAAMAAAABAAEAAKACAAQAAAABAAAAQKADAAQAAAABAAAAQAAAAAD/7QA4UGhvdG9zaG9wIDMuMAA4',
  'X-ABUID:5AD380FD-B2DE-4261-BA99-DE1D1DB52FBE:ABPerson',
  'END:VCARD',
  'BEGIN:VCARD',
  'VERSION:3.0',
  'N:;;;;',
  'FN:Fjord & Co',
  'ORG:Fjord & Co;',
  'X-ABShowAs:COMPANY',
  'TEL;type=WORK;type=VOICE:+47 22 33 44 55',
  'END:VCARD',
]);

const GOOGLE = crlf([
  'BEGIN:VCARD',
  'VERSION:3.0',
  'FN:Zoë Ødegård',
  'N:Ødegård;Zoë;;;',
  'EMAIL;TYPE=INTERNET;TYPE=HOME:zoe@fjord.example',
  'EMAIL;TYPE=INTERNET;TYPE=WORK:zoe.odegard@work.example',
  'TEL;TYPE=CELL:+47 912 34 567',
  'ADR;TYPE=HOME:;;Storgata 1;Oslo;;0155;Norway',
  'ORG:Fjord AS',
  'TITLE:Engineer',
  'BDAY:1990-05-17',
  'CATEGORIES:myContacts,Friends',
  'END:VCARD',
  'BEGIN:VCARD',
  'VERSION:3.0',
  'FN:محمد علي',
  'N:علي;محمد;;;',
  'TEL;TYPE=CELL:+966 50 123 4567',
  'NOTE:مرحبا',
  'CATEGORIES:myContacts',
  'END:VCARD',
]);

// Outlook's "Save as vCard": 2.1, Windows-1252 in quoted-printable, soft line breaks.
const OUTLOOK = crlf([
  'BEGIN:VCARD',
  'VERSION:2.1',
  'N;LANGUAGE=de-de;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:M=FCller;J=FCrgen',
  'FN;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:J=FCrgen M=FCller',
  'ORG;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:Stra=DFenbau GmbH;Vertrieb',
  'TEL;WORK;VOICE:+49 30 1234567',
  'TEL;CELL;VOICE:+49 170 1234567',
  'EMAIL;PREF;INTERNET:juergen.mueller@strassenbau.example',
  'NOTE;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:Erste Zeile=0D=0AZweite Zeile mit einem sehr langen Text, der =',
  'umbrochen wird',
  'LABEL;WORK;PREF;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:Hauptstra=DFe 1=0D=0A=',
  '10115 Berlin',
  'X-MS-OL-DEFAULT-POSTAL-ADDRESS:2',
  'REV:20261201T101010Z',
  'END:VCARD',
]);

// Android's contacts export: 2.1, UTF-8 in quoted-printable for anything not ASCII.
const ANDROID = crlf([
  'BEGIN:VCARD',
  'VERSION:2.1',
  'N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=B1=B1=E7=94=B0;=E5=A4=AA=E9=83=8E;;;',
  'FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=B1=B1=E7=94=B0=20=E5=A4=AA=E9=83=8E',
  'TEL;CELL:+81-90-1234-5678',
  'TEL;HOME:03-1234-5678',
  'EMAIL;HOME:taro@example.jp',
  'PHOTO;ENCODING=BASE64;JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQN',
  ' DAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/',
  '',
  'X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;Taro;1;;;;;;;;;;;;;',
  'END:VCARD',
  'BEGIN:VCARD',
  'VERSION:2.1',
  'N:Smith;Anna;;;',
  'FN:Anna Smith',
  'TEL;CELL;PREF:+44 7700 900123',
  'END:VCARD',
]);

// RFC 6350 §8, with a tel: URI and its extension.
const RFC6350 = crlf([
  'BEGIN:VCARD',
  'VERSION:4.0',
  'FN:Simon Perreault',
  'N:Perreault;Simon;;;ing. jr,M.Sc.',
  'BDAY:--0203',
  'ANNIVERSARY:20090808T1430-0500',
  'GENDER:M',
  'LANG;PREF=1:fr',
  'ORG:Viagenie;Research',
  'ADR;TYPE=work:;Suite D2-630;2875 Laurier;',
  ' Quebec;QC;G1V 2M2;Canada',
  'TEL;VALUE=uri;TYPE="work,voice";PREF=1:tel:+1-418-656-9254;ext=102',
  'TEL;VALUE=uri;TYPE="work,cell,voice,video,text":tel:+1-418-262-6501',
  'EMAIL;TYPE=work:simon.perreault@viagenie.ca',
  'GEO;TYPE=work:geo:46.772673,-71.282945',
  'KEY;TYPE=work;VALUE=uri:',
  ' http://www.viagenie.ca/simon.perreault/simon.asc',
  'TZ:-0500',
  'URL;TYPE=home:http://nomis80.org',
  'END:VCARD',
]);

describe('vCard import', () => {
  it('reads an Apple Contacts export: grouped items, a folded photo skipped, a company card', async () => {
    expect(await inputs(APPLE)).toEqual([
      {
        name: 'Johnny Appleseed',
        emails: ['johnny_appleseed@mac.com', 'johnny@example.com'],
        phones: ['+1 (408) 555-5270', '(408) 555-0123'],
        company: 'Apple Inc.',
        notes: 'Met at WWDC\nLikes apples, pears',
        problems: [],
      },
      { name: 'Fjord & Co', phones: ['+47 22 33 44 55'], company: 'Fjord & Co', problems: [] },
    ]);
  });

  it('reads a Google Contacts export, names in any script kept as written', async () => {
    const read = await readVcards(GOOGLE);
    expect(read.candidates.map((c) => c.input)).toEqual([
      {
        name: 'Zoë Ødegård',
        emails: ['zoe@fjord.example', 'zoe.odegard@work.example'],
        phones: ['+47 912 34 567'],
        company: 'Fjord AS',
      },
      { name: 'محمد علي', phones: ['+966 50 123 4567'], notes: 'مرحبا' },
    ]);
    // What has no field here is named for the preview.
    expect([...read.notImported].sort()).toEqual(['ADR', 'BDAY', 'CATEGORIES', 'TITLE']);
  });

  it('reads Outlook 2.1: Windows-1252 quoted-printable, soft line breaks, bare TYPE parameters', async () => {
    expect(isVcard21(OUTLOOK)).toBe(true);
    const [card] = await inputs(OUTLOOK);
    expect(card).toEqual({
      name: 'Jürgen Müller',
      emails: ['juergen.mueller@strassenbau.example'],
      phones: ['+49 30 1234567', '+49 170 1234567'],
      company: 'Straßenbau GmbH, Vertrieb',
      notes: 'Erste Zeile\nZweite Zeile mit einem sehr langen Text, der umbrochen wird',
      problems: [],
    });
  });

  it('reads Android 2.1: UTF-8 quoted-printable names, a base64 photo ended by a blank line', async () => {
    expect(await inputs(ANDROID)).toEqual([
      {
        name: '山田 太郎',
        emails: ['taro@example.jp'],
        phones: ['+81-90-1234-5678', '03-1234-5678'],
        problems: [],
      },
      { name: 'Anna Smith', phones: ['+44 7700 900123'], problems: [] },
    ]);
  });

  it('reads the RFC 6350 example: tel: URIs with an extension, a structured ORG', async () => {
    const [card] = await inputs(RFC6350);
    expect(card).toEqual({
      name: 'Simon Perreault',
      emails: ['simon.perreault@viagenie.ca'],
      phones: ['+1-418-656-9254 ext. 102', '+1-418-262-6501'],
      company: 'Viagenie, Research',
      problems: [],
    });
  });

  it('falls back to N, then ORG, for a card without FN', async () => {
    const text = crlf([
      'BEGIN:VCARD',
      'VERSION:3.0',
      'N:Lovelace;Ada;King;Lady;',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:3.0',
      'ORG:ACME',
      'END:VCARD',
    ]);
    expect((await inputs(text)).map((c) => c.name)).toEqual(['Lady Ada King Lovelace', 'ACME']);
  });

  it('numbers cards and lines, and names each bad card’s field and rule; good cards stand', async () => {
    const text = crlf([
      'BEGIN:VCARD',
      'VERSION:3.0',
      'FN:Good One',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:3.0',
      'EMAIL:nobody-named@example.org',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:3.0',
      'FN:Bad Email',
      'EMAIL:not an address',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:3.0',
      'FN;BROKEN',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:4.0',
      'FN:Good Two',
      'END:VCARD',
    ]);
    const read = (await readVcards(text)).candidates;
    expect(read.map((c) => [c.where, c.problems.map((p) => `${p.field} ${p.rule}`)])).toEqual([
      ['card 1 (line 1)', []],
      ['card 2 (line 5)', ['name min-length']],
      ['card 3 (line 9)', ['emails.0 format']],
      ['card 4 (line 14)', ['(card) unreadable']],
      ['card 5 (line 18)', []],
    ]);
  });

  it('splits many cards with LF or CRLF line ends and ignores text outside cards', () => {
    const text = `junk\nBEGIN:VCARD\nFN:A\nEND:VCARD\r\nbegin:vcard\r\nFN:B\r\nend:vcard\n`;
    expect(splitCards(text).map((c) => [c.number, c.line])).toEqual([
      [1, 2],
      [2, 5],
    ]);
  });

  it('turns 2.1 into 3.0 as documented', () => {
    expect(
      vcard21To30(
        'BEGIN:VCARD\r\nVERSION:2.1\r\nNOTE;ENCODING=QUOTED-PRINTABLE:a,b=0D=0Ac\\d\\;e\r\nTEL;WORK;VOICE:1\r\nEND:VCARD',
      ),
    ).toBe(
      'BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:a\\,b\\nc\\\\d\\;e\r\nTEL;TYPE=WORK,VOICE:1\r\nEND:VCARD',
    );
  });
});
