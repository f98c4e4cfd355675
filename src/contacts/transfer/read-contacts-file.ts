// A chosen file, checked and read: its size, its kind (vCard or CSV, by name and by content),
// its text encoding, then its cards or rows, each error a message a person can act on.
import type { Candidate } from './candidate.ts';
import { guessMapping, type Mapping } from './csv-columns.ts';
import { type CsvTable, readCsv } from './csv-import.ts';
import { decodeText, looksBinary, type TextEncoding } from './decode-text.ts';
import { readVcards } from './vcard-import.ts';

/** 10,000 contacts with notes are a few MB; an export full of photos can be far larger. */
export const MAX_FILE_BYTES = 30 * 1024 * 1024;

export type ImportFileErrorCode = 'too-large' | 'wrong-type' | 'empty' | 'malformed';

export class ImportFileError extends Error {
  constructor(
    readonly code: ImportFileErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ImportFileError';
  }
}

export type ReadFile =
  | { kind: 'vcard'; encoding: TextEncoding; candidates: Candidate[]; notImported: string[] }
  | { kind: 'csv'; encoding: TextEncoding; table: CsvTable; mapping: Mapping };

interface Options {
  signal?: AbortSignal;
  onProgress?: (items: number) => void;
}

export async function readContactsFile(
  file: Pick<File, 'name' | 'size' | 'arrayBuffer'>,
  options: Options = {},
): Promise<ReadFile> {
  if (file.size > MAX_FILE_BYTES) {
    const mb = (n: number) => `${Math.ceil(n / 1024 / 1024)} MB`;
    throw new ImportFileError(
      'too-large',
      `This file is ${mb(file.size)}; the most this page reads is ${mb(MAX_FILE_BYTES)}. Export it without photos, or in parts.`,
    );
  }
  if (file.size === 0) throw new ImportFileError('empty', 'This file is empty.');
  const { text, encoding } = decodeText(new Uint8Array(await file.arrayBuffer()));
  options.signal?.throwIfAborted();
  const kind = kindOf(file.name, text);
  if (kind === 'vcard') {
    const { candidates, notImported } = await readVcards(text, options);
    if (candidates.length === 0) {
      throw new ImportFileError(
        'malformed',
        'No contact card (BEGIN:VCARD … END:VCARD) was found in this file.',
      );
    }
    return { kind, encoding, candidates, notImported: [...notImported].sort() };
  }
  try {
    const table = await readCsv(text, options);
    if (table.rows.length === 0) {
      throw new ImportFileError('malformed', 'This CSV file has a header row but no contacts.');
    }
    return { kind, encoding, table, mapping: guessMapping(table.headers) };
  } catch (error) {
    if (error instanceof Error && error.name === 'CsvError') {
      throw new ImportFileError('malformed', `This CSV file cannot be read: ${error.message}`);
    }
    throw error;
  }
}

const WRONG_TYPE =
  'This is not a contacts file this page can read: choose a vCard (.vcf) or CSV (.csv) file.';

/** vCard if it says so (name or first card), CSV if named so or plain delimited text. */
export function kindOf(name: string, text: string): 'vcard' | 'csv' {
  if (looksBinary(text)) throw new ImportFileError('wrong-type', WRONG_TYPE);
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  const startsAsVcard = /^\s*BEGIN:VCARD\s*$/im.test(text.slice(0, 4096));
  if (extension === 'vcf' || extension === 'vcard' || startsAsVcard) return 'vcard';
  if (
    extension === 'csv' ||
    extension === 'txt' ||
    extension === 'tsv' ||
    extension === undefined
  ) {
    const firstLine = text.slice(0, 4096).split(/\r\n|\r|\n/)[0] ?? '';
    if (/[,;\t]/.test(firstLine)) return 'csv';
  }
  throw new ImportFileError('wrong-type', WRONG_TYPE);
}
