// vCard 2.1 (what old phones, Android's own export and Outlook write) rewritten as 3.0, because
// ical.js, like most parsers, reads 3.0 and 4.0 only. A card is turned line by line:
// - values in QUOTED-PRINTABLE are decoded, soft line breaks (a line ending in `=`) joined,
//   and the bytes read in the card's CHARSET (UTF-8 when it names none);
// - every value is escaped as 3.0 wants it: `\\`, `\,` and `\n` (a 2.1 `\;` stays);
// - parameters without a name (`TEL;WORK;VOICE:`) become TYPE= (`TEL;TYPE=WORK,VOICE:`), and
//   ENCODING and CHARSET go;
// - binary values (PHOTO, LOGO, SOUND, KEY: base64 whose end 2.1 marks by a blank line) go,
//   as this app keeps no pictures;
// - VERSION:2.1 becomes VERSION:3.0.
// Folded lines (a line break before a space or tab) are unfolded first.

const BINARY = /^(?:[\w-]+\.)?(PHOTO|LOGO|SOUND|KEY)[;:]/i;

export function isVcard21(card: string): boolean {
  return /^VERSION:\s*2\.1\s*$/im.test(card);
}

export function vcard21To30(card: string): string {
  const out: string[] = [];
  const lines = card.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i += 1) {
    let line = lines[i] as string;
    // 3.0-style folding: a continuation starts with a space or tab.
    while (i + 1 < lines.length && /^[ \t]/.test(lines[i + 1] as string)) {
      i += 1;
      line += (lines[i] as string).slice(1);
    }
    const colon = line.indexOf(':');
    if (colon < 0) continue; // a blank line, or the tail of a base64 value
    const [name = '', ...params] = line.slice(0, colon).split(';');
    let value = line.slice(colon + 1);
    const encoding = param(params, 'ENCODING');
    if (BINARY.test(`${name}:`) || /^(B|BASE64)$/i.test(encoding ?? '')) {
      while (i + 1 < lines.length && (lines[i + 1] as string).trim() !== '') i += 1; // its base64
      continue;
    }
    const quotedPrintable =
      /^QUOTED-PRINTABLE$/i.test(encoding ?? '') ||
      params.some((p) => /^QUOTED-PRINTABLE$/i.test(p));
    if (quotedPrintable) {
      // Soft line breaks: the value goes on after a line that ends in `=`.
      while (value.endsWith('=') && i + 1 < lines.length) {
        i += 1;
        value = value.slice(0, -1) + (lines[i] as string);
      }
      value = decodeQuotedPrintable(value, param(params, 'CHARSET') ?? 'utf-8');
    }
    value = /^VERSION$/i.test(name) ? '3.0' : escape30(value);
    out.push(`${name}${params30(params)}:${value}`);
  }
  return out.join('\r\n');
}

function param(params: readonly string[], key: string): string | undefined {
  const found = params.find((p) => p.toUpperCase().startsWith(`${key}=`));
  return found?.slice(key.length + 1).replace(/^"|"$/g, '');
}

/** Named parameters kept (but ENCODING, CHARSET); bare ones gathered into one TYPE=. */
function params30(params: readonly string[]): string {
  const types: string[] = [];
  const named: string[] = [];
  for (const p of params) {
    const eq = p.indexOf('=');
    if (eq < 0) {
      if (!/^(QUOTED-PRINTABLE|BASE64|8BIT|7BIT)$/i.test(p)) types.push(p);
      continue;
    }
    const key = p.slice(0, eq).toUpperCase();
    if (key === 'ENCODING' || key === 'CHARSET') continue;
    if (key === 'TYPE') types.push(p.slice(eq + 1));
    else named.push(p);
  }
  return [...named, ...(types.length > 0 ? [`TYPE=${types.join(',')}`] : [])]
    .map((p) => `;${p}`)
    .join('');
}

function decodeQuotedPrintable(value: string, charset: string): string {
  const bytes: number[] = [];
  for (const [, hex, text = ''] of value.matchAll(/=([0-9A-Fa-f]{2})|([^=]+|=)/g)) {
    if (hex) bytes.push(Number.parseInt(hex, 16));
    // Outside =XX, QP is ASCII; anything else arrived decoded already (as UTF-8 here).
    else bytes.push(...new TextEncoder().encode(text));
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    decoder = new TextDecoder('utf-8'); // an unknown label: UTF-8 is the best guess
  }
  return decoder.decode(new Uint8Array(bytes));
}

/** 2.1 text to 3.0 text: a 2.1 `\;` stays (a literal semicolon in both). */
function escape30(text: string): string {
  return text
    .replace(/\\(?!;)/g, '\\\\')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}
