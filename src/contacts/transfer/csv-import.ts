// A .csv file as a header row and rows, each with the line it starts on (a quoted cell may
// hold line breaks). Papa Parse reads it in chunks, the page is given back between them, so
// a 10,000-row file never freezes it. The delimiter (comma, semicolon, tab) is detected.
import Papa from 'papaparse';
import { timeSlices, yieldToMain } from '../../lib/yield-to-main.ts';
import type { Candidate } from './candidate.ts';
import { type Mapping, rowToCandidate } from './csv-columns.ts';

export interface CsvRow {
  line: number;
  cells: string[];
}

export interface CsvTable {
  headers: string[];
  rows: CsvRow[];
}

interface ChunkOptions {
  chunkSize: number;
  chunk(results: Papa.ParseResult<string[]>, parser: Papa.Parser): void;
}

export class CsvError extends Error {
  override readonly name = 'CsvError';
}

export function readCsv(
  text: string,
  { signal, onProgress }: { signal?: AbortSignal; onProgress?: (rows: number) => void } = {},
): Promise<CsvTable> {
  return new Promise((resolve, reject) => {
    let headers: string[] | undefined;
    const rows: CsvRow[] = [];
    let line = 1;
    // @types/papaparse allows `chunk` for files only; Papa's string streamer honours it too
    // (csv-import.test.ts reads a string of many chunks).
    const config: Papa.ParseConfig<string[]> & ChunkOptions = {
      skipEmptyLines: false, // blank lines still count for the line numbers
      chunkSize: 64 * 1024,
      chunk(results, parser) {
        for (const cells of results.data) {
          const at = line;
          line += 1 + cells.reduce((n, cell) => n + (cell.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
          if (cells.every((cell) => cell.trim() === '')) continue;
          if (headers) rows.push({ line: at, cells });
          else headers = cells.map((cell) => cell.trim());
        }
        onProgress?.(rows.length);
        parser.pause();
        yieldToMain().then(() => (signal?.aborted ? parser.abort() : parser.resume()));
      },
      complete() {
        if (signal?.aborted) return reject(signal.reason);
        if (!headers || headers.length < 2) {
          return reject(new CsvError('The file has no header row naming its columns.'));
        }
        resolve({ headers, rows });
      },
    };
    Papa.parse<string[]>(text, config);
  });
}

/** Every row as a candidate under `mapping`, in time slices. */
export async function mapRows(
  rows: readonly CsvRow[],
  mapping: Mapping,
  signal?: AbortSignal,
): Promise<Candidate[]> {
  const slices = timeSlices(signal);
  const out: Candidate[] = [];
  for (const row of rows) {
    out.push(rowToCandidate(`line ${row.line}`, row.cells, mapping));
    if (slices.due()) await slices.yield();
  }
  return out;
}
