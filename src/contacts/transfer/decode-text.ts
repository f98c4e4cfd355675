// A file's bytes as text. Contacts exports come as UTF-8 (with or without a BOM), UTF-16 with
// a BOM (Outlook's and Windows' "Unicode" CSV) or, from older programs, Windows-1252. The BOM
// decides; without one, UTF-8 if the bytes are valid UTF-8, else Windows-1252 (which decodes
// any byte, and is what those programs wrote).
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
  const [a, b, c] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf) return decode(bytes.subarray(3), 'utf-8');
  if (a === 0xff && b === 0xfe) return decode(bytes.subarray(2), 'utf-16le');
  if (a === 0xfe && b === 0xff) return decode(bytes.subarray(2), 'utf-16be');
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return decode(bytes, 'windows-1252');
  }
}

function decode(bytes: Uint8Array, encoding: TextEncoding) {
  return { text: new TextDecoder(encoding).decode(bytes), encoding };
}

/** Text a person could have written: a NUL or most other control characters mean binary. */
export function looksBinary(text: string): boolean {
  const sample = text.slice(0, 4096);
  let controls = 0;
  for (let i = 0; i < sample.length; i += 1) {
    const code = sample.charCodeAt(i);
    if (code < 0x09 || (code > 0x0d && code < 0x20)) controls += 1;
  }
  return controls / Math.max(1, sample.length) > 0.001;
}
