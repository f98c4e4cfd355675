// 10,000 realistic contacts for one user, for scale work and the benchmark: names from many
// languages (accents included), companies, one to three emails, zero to two phones.
// Deterministic (seeded PRNG), so every run sees the same data.
import type { ContactInput } from './schemas.ts';
import { type ContactStore, DEFAULT_QUOTAS, type Owner } from './store/store.ts';

const GIVEN = [
  'Zoë',
  'Émile',
  'Anna',
  'Jürgen',
  'Søren',
  'María',
  'José',
  'François',
  'Chloé',
  'Björn',
  'Łukasz',
  'Ines',
  'Noah',
  'Olivia',
  'Liam',
  'Emma',
  'Ava',
  'Lucas',
  'Mia',
  'Hugo',
  'Léa',
  'Mateo',
  'Sofía',
  'Aiko',
  'Hiroshi',
  'Priya',
  'Arjun',
  'Fatima',
  'Omar',
  'Chiara',
  'Giulia',
  'Luca',
  'Nils',
  'Ingrid',
  'Åsa',
  'Dvořák',
  'Zoe',
  'Ana',
  'Andrés',
  'Renée',
  'Grace',
  'Ada',
  'Alan',
  'Katherine',
  'Ngozi',
  'Kwame',
  'Mei',
  'Wei',
  'Yusuf',
  'Elif',
  'Ömer',
  'Niamh',
];
const FAMILY = [
  'Müller',
  'Smith',
  'García',
  'Ødegård',
  'Dubois',
  'Schröder',
  'Nowak',
  'Kowalski',
  'Rossi',
  'Bianchi',
  'Jensen',
  'Hansen',
  'Johansson',
  'Fernández',
  'López',
  'Martín',
  'Bernard',
  'Lefèvre',
  'Brown',
  'Taylor',
  'Wilson',
  'Nguyen',
  'Tanaka',
  'Suzuki',
  'Sharma',
  'Patel',
  'Okafor',
  'Mensah',
  'Yılmaz',
  'Kaya',
  'O’Brien',
  'MacDonald',
  'Novák',
  'Horváth',
  'Weiß',
  'Çelik',
  'Andersen',
  'Lovelace',
  'Hopper',
  'Turing',
  'Johnson',
  'Zhang',
  'Chen',
  'Silva',
];
const COMPANIES = [
  'Acme Corp',
  'Globex',
  'Initech',
  'Umbrella Health',
  'Fjord & Co',
  'Société Générale de Café',
  'Müller Maschinenbau',
  'Nordic Timber',
  'Sakura Systems',
  'Café Olé',
  'Bletchley Park',
  'Analytical Engines',
  'Blue Harbor Logistics',
  'Zürich Re',
  'Øresund Shipping',
  'Tata Labs',
  'Lagos Fintech',
  'Hooli',
  'Vandelay Industries',
  'Stark Industries',
];
const DOMAINS = ['example.com', 'mail.example', 'corp.example', 'example.org', 'post.example'];

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateContacts(count: number, seed = 42): ContactInput[] {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const ascii = (text: string) =>
    text
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .replace(/[^A-Za-z]/g, '')
      .toLowerCase();
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  return Array.from({ length: count }, () => {
    const given = pick(GIVEN);
    const family = pick(FAMILY);
    const company = random() < 0.8 ? pick(COMPANIES) : null;
    const emails = Array.from(
      { length: 1 + Math.floor(random() * 3) },
      (_, i) => `${ascii(given)}.${ascii(family)}${i === 0 ? '' : i}@${pick(DOMAINS)}`,
    );
    const phones = Array.from(
      { length: Math.floor(random() * 3) },
      () => `+${pick(['1', '33', '44', '49', '47', '81'])} ${digits(3)} ${digits(3)} ${digits(4)}`,
    );
    return { name: `${given} ${family}`, emails, phones, company, notes: null };
  });
}

export const SCALE_CONTACTS = 10_000;

/**
 * Tops `owner` up to `count` contacts (a user who has them is left alone), never past
 * `quota` (API_MAX_CONTACTS_PER_USER: seeds skip the API's check, and a user seeded over it
 * could create nothing more until far under it). Written in batches, each its own
 * transaction, so the API's writes wait for one batch at most, not for the whole seed
 * (10,000 rows take seconds, longer than SQLite's busy timeout).
 */
export async function seedScaleContacts(
  store: ContactStore,
  owner: Owner,
  { count = SCALE_CONTACTS, quota = DEFAULT_QUOTAS.contacts } = {},
): Promise<number> {
  const missing = Math.min(count, quota) - (await store.countContacts(owner));
  if (missing <= 0) return 0;
  const contacts = generateContacts(missing);
  for (let start = 0; start < contacts.length; start += SEED_BATCH) {
    await store.createContacts(owner, contacts.slice(start, start + SEED_BATCH));
  }
  return missing;
}

const SEED_BATCH = 500;

/** What a seed's report line adds when the quota cut it short. */
export function quotaNote(quota: number): string {
  return quota < SCALE_CONTACTS
    ? ` (at most API_MAX_CONTACTS_PER_USER=${quota}, not ${SCALE_CONTACTS})`
    : '';
}
