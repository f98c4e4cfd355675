// Accent- and case-folding for search and sorting: "Zoë Ødegård" → "zoe odegard", so `zoe`
// finds Zoë, `muller` finds Müller, and Émile sorts with the Es instead of after Z.
// Folding happens in JS when a row is written (SQLite has no Unicode folding of its own);
// queries are folded the same way, so both sides always agree.

// One implementation for both sides: the SPA filters with the same rules (it imports
// servers/shared too).
import { foldText, foldWords } from '../shared/fold-text.ts';

export { foldText, foldWords };

export interface SearchableFields {
  name: string;
  emails: readonly string[];
  phones: readonly string[];
  company: string | null;
}

/**
 * The row's search column: its words, space-separated and space-prefixed, so a prefix
 * query is `instr(search, ' ' || term) > 0`. A phone is also indexed as its digits run
 * together, so `+4420` and `4420 7946` both find "+44 20 7946 0018".
 */
export function searchColumn({ name, emails, phones, company }: SearchableFields): string {
  const words = new Set<string>();
  for (const text of [name, company ?? '', ...emails, ...phones]) {
    for (const word of foldWords(text)) words.add(word);
  }
  for (const phone of phones) {
    const digits = phone.replace(/\D+/g, '');
    if (digits) words.add(digits);
  }
  return ` ${[...words].join(' ')}`;
}

/** Each term must prefix-match some word of the row (AND); empty when `q` has no words. */
export function searchTerms(q: string): string[] {
  return [...new Set(foldWords(q))].map((word) => ` ${word}`);
}

/** Sort key for names: folded, so ordering ignores case and accents. */
export function sortKey(name: string): string {
  return foldText(name).trim();
}

/**
 * Word prefixes of up to this many code points are indexed (table `contact_prefix`): a query
 * term is looked up by its first PREFIX_LENGTH code points, in name order, and longer terms
 * are then checked against the row's search column. 3 keeps the index at ~30 rows per
 * contact while a 3-letter prefix already narrows 10,000 contacts to a few hundred.
 */
export const PREFIX_LENGTH = 3;

/** The distinct 1..PREFIX_LENGTH code-point prefixes of the words of a search column. */
export function searchPrefixes(search: string): string[] {
  const prefixes = new Set<string>();
  for (const word of search.split(' ')) {
    let prefix = '';
    let length = 0;
    for (const codePoint of word) {
      prefix += codePoint;
      prefixes.add(prefix);
      length += 1;
      if (length === PREFIX_LENGTH) break;
    }
  }
  return [...prefixes];
}

/** The index key a search term (from searchTerms: space-prefixed) is looked up by. */
export function prefixKey(term: string): string {
  let key = '';
  let length = 0;
  for (const codePoint of term.trimStart()) {
    key += codePoint;
    length += 1;
    if (length === PREFIX_LENGTH) break;
  }
  return key;
}
