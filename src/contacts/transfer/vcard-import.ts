// A .vcf file as candidates, one per card. The file is cut into cards at their BEGIN:VCARD and
// END:VCARD lines (so each card has a number and a line for the report, and one bad card
// spoils nothing else); each card is read by ical.js (vCard 3.0 and 4.0; 2.1 first through
// vcard-21.ts), in time slices so a 10,000-card file never freezes the page.
import ICAL from 'ical.js';
import { timeSlices } from '../../lib/yield-to-main.ts';
import { type Candidate, candidateOf, contactInput, unreadable, values } from './candidate.ts';
import { isVcard21, vcard21To30 } from './vcard-21.ts';

export interface CardText {
  /** 1-based, in file order. */
  number: number;
  /** The line of its BEGIN:VCARD. */
  line: number;
  text: string;
}

/** The cards of a file, in order; text outside BEGIN:VCARD … END:VCARD is ignored. */
export function splitCards(text: string): CardText[] {
  const lines = text.split(/\r\n|\r|\n/);
  const cards: CardText[] = [];
  let start = -1;
  for (let i = 0; i < lines.length; i += 1) {
    const line = (lines[i] as string).trim().toUpperCase();
    if (line === 'BEGIN:VCARD') start = i;
    else if (line === 'END:VCARD' && start >= 0) {
      const number = cards.length + 1;
      cards.push({ number, line: start + 1, text: lines.slice(start, i + 1).join('\r\n') });
      start = -1;
    }
  }
  return cards;
}

/** Properties this app has a field for; the rest are named in the preview as not imported. */
const KEPT = new Set(['version', 'fn', 'n', 'email', 'tel', 'org', 'note', 'prodid', 'uid', 'rev']);

export interface ReadCards {
  candidates: Candidate[];
  /** vCard property names met that have no field here (ADR, BDAY…), upper case. */
  notImported: Set<string>;
}

export async function readVcards(
  text: string,
  { signal, onProgress }: { signal?: AbortSignal; onProgress?: (done: number) => void } = {},
): Promise<ReadCards> {
  const notImported = new Set<string>();
  const candidates: Candidate[] = [];
  const slices = timeSlices(signal);
  for (const card of splitCards(text)) {
    candidates.push(readCard(card, notImported));
    if (slices.due()) {
      onProgress?.(candidates.length);
      await slices.yield();
    }
  }
  return { candidates, notImported };
}

export function readCard(card: CardText, notImported = new Set<string>()): Candidate {
  const where = `card ${card.number} (line ${card.line})`;
  let component: ICAL.Component;
  try {
    const source = isVcard21(card.text) ? vcard21To30(card.text) : card.text;
    component = new ICAL.Component(ICAL.parse(`${source}\r\n`) as unknown[]);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return unreadable(where, '(card)', `could not be read as a vCard (${reason})`);
  }
  for (const property of component.getAllProperties()) {
    if (!KEPT.has(property.name) && !property.name.startsWith('x-')) {
      notImported.add(property.name.toUpperCase());
    }
  }
  const texts = (name: string) =>
    component.getAllProperties(name).flatMap((p) => p.getValues().map(flatten));
  const structured = (name: string) =>
    (component.getFirstProperty(name)?.getFirstValue() as unknown) ?? null;
  return candidateOf(
    where,
    contactInput({
      name: texts('fn')[0]?.trim() || nameFromN(structured('n')) || orgOf(structured('org')),
      emails: values(texts('email').map((email) => email.replace(/^mailto:/i, ''))),
      phones: values(texts('tel').map(phoneText)),
      company: orgOf(structured('org')),
      notes: values(texts('note')).join('\n\n'),
    }),
  );
}

/** A value as text: structured and multi-valued parts joined. */
function flatten(value: unknown): string {
  if (Array.isArray(value)) return value.map(flatten).filter(Boolean).join(' ');
  return value === null || value === undefined ? '' : String(value);
}

const parts = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(flatten) : [flatten(value)];

/** N is family;given;additional;prefix;suffix: shown as "prefix given additional family suffix". */
function nameFromN(n: unknown): string {
  const [family = '', given = '', additional = '', prefix = '', suffix = ''] = parts(n);
  return values([prefix, given, additional, family, suffix]).join(' ');
}

/** ORG is organisation;unit;unit…: "Fjord AS, Sales". */
function orgOf(org: unknown): string {
  return values(parts(org)).join(', ');
}

/** A TEL as text: a tel: URI (vCard 4.0) unwrapped, its extension written as "ext.". */
function phoneText(tel: string): string {
  const uri = /^tel:([^;]*)(?:.*;ext=([0-9]+))?/i.exec(tel.trim());
  if (!uri) return tel;
  const number = uri[1] ?? '';
  return uri[2] ? `${number} ext. ${uri[2]}` : number;
}
