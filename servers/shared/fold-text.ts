// Case- and accent-folding for search: "zoe" finds Zoë, "muller" finds Müller. The contacts
// API folds with this same module (servers/contacts-api/fold.ts imports it), so a search
// filtered in the browser finds exactly what the API would.

// Letters that NFKD does not decompose into base + combining mark.
const SPECIAL: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
};
const SPECIAL_RE = new RegExp(`[${Object.keys(SPECIAL).join('')}]`, 'g');
const MARKS = /\p{M}+/gu;
const NON_WORD = /[^\p{L}\p{N}]+/u;

/** "Zoë Ødegård" → "zoe odegard". */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(MARKS, '')
    .toLowerCase()
    .replace(SPECIAL_RE, (letter) => SPECIAL[letter] ?? letter);
}

/** The folded words of `text`; punctuation (`@`, `.`, `-`, `+`) separates words. */
export function foldWords(text: string): string[] {
  return foldText(text).split(NON_WORD).filter(Boolean);
}
