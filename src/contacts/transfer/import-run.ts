// Sends the valid candidates to POST /contacts/batch, 100 at a time, one batch after the
// other, and tells how far it got. Each batch has its own Idempotency-Key, kept across its
// retries, so a retry after a lost answer writes nothing twice. What the API's limits say is
// progress, not failure: a 429 pauses for its Retry-After (shown), then goes on; a full
// contacts quota (409) stops, with what was imported so far. Cancel stops before the next
// batch, never inside one: each batch is written whole or not at all.
import type { ContactBatchResult, ContactInput } from '../api-types.gen.ts';
import type { ContactsApi } from '../contacts-http.ts';
import type { Candidate, ImportProblem } from './candidate.ts';

export const BATCH_SIZE = 100;
/** A 429 without a usable Retry-After waits this long. */
const DEFAULT_PAUSE_SECONDS = 10;
/** Network errors and 5xx: retried with the same key, waiting 1, 2, 4… s. */
const RETRIES = 5;

export interface Skipped {
  where: string;
  problems: ImportProblem[];
}

export interface ImportReport {
  total: number;
  /** Batches answered so far cover this many candidates. */
  sent: number;
  created: number;
  duplicates: number;
  skipped: Skipped[];
  /** Seconds the API asked to wait, while waiting; else 0. */
  pausedFor: number;
  /** Why it stopped before the end: cancelled, a full quota, or an error. */
  stopped?: string;
}

export async function runImport(
  api: ContactsApi,
  candidates: readonly Candidate[],
  { signal, onProgress }: { signal?: AbortSignal; onProgress?: (report: ImportReport) => void },
): Promise<ImportReport> {
  const valid = candidates.filter((c) => c.problems.length === 0);
  const report: ImportReport = {
    total: valid.length,
    sent: 0,
    created: 0,
    duplicates: 0,
    skipped: candidates.filter((c) => c.problems.length > 0).map(skippedOf),
    pausedFor: 0,
  };
  const tell = () => onProgress?.({ ...report, skipped: [...report.skipped] });
  tell();
  for (let i = 0; i < valid.length; i += BATCH_SIZE) {
    if (signal?.aborted) {
      report.stopped = `Cancelled: ${valid.length - i} contacts were not sent.`;
      break;
    }
    const batch = valid.slice(i, i + BATCH_SIZE);
    const answer = await sendBatch(api, batch, signal, (seconds) => {
      report.pausedFor = seconds;
      tell();
    });
    report.pausedFor = 0;
    if ('stopped' in answer) {
      report.stopped = answer.stopped;
      break;
    }
    answer.results.forEach((result, j) => {
      const candidate = batch[j] as Candidate;
      if (result.status === 'created') report.created += 1;
      else if (result.status === 'duplicate') report.duplicates += 1;
      else report.skipped.push({ where: candidate.where, problems: result.errors.map(asProblem) });
    });
    report.sent += batch.length;
    tell();
  }
  return report;
}

const skippedOf = (c: Candidate): Skipped => ({ where: c.where, problems: c.problems });
const asProblem = (e: { field: string; rule?: string; message: string }): ImportProblem => ({
  field: e.field,
  rule: e.rule ?? 'invalid',
  message: e.message,
});

async function sendBatch(
  api: ContactsApi,
  batch: readonly Candidate[],
  signal: AbortSignal | undefined,
  onPause: (seconds: number) => void,
): Promise<ContactBatchResult | { stopped: string }> {
  const items: ContactInput[] = batch.map((c) => c.input);
  const init: RequestInit = {
    method: 'POST',
    headers: {
      Accept: 'application/json',
      'Content-Type': 'application/json',
      'Idempotency-Key': crypto.randomUUID(),
    },
    body: JSON.stringify({ items }),
  };
  const url = new URL(
    'contacts/batch',
    api.baseUrl.endsWith('/') ? api.baseUrl : `${api.baseUrl}/`,
  );
  for (let failures = 0; ; ) {
    // Only while waiting to (re)send: a batch on its way is answered, then the run stops.
    if (signal?.aborted)
      return { stopped: `Cancelled: ${batch.length} or more contacts were not sent.` };
    let response: Response;
    try {
      response = await api.fetch(url.toString(), init);
    } catch {
      if (++failures > RETRIES) return { stopped: 'The contacts service could not be reached.' };
      await wait(2 ** (failures - 1), onPause);
      continue;
    }
    if (response.ok) return (await response.json()) as ContactBatchResult;
    if (response.status === 429) {
      await wait(retryAfter(response), onPause);
      continue;
    }
    if (response.status >= 500 && ++failures <= RETRIES) {
      await wait(2 ** (failures - 1), onPause);
      continue;
    }
    return { stopped: await stoppedBy(response) };
  }
}

function retryAfter(response: Response): number {
  const seconds = Number(response.headers.get('Retry-After'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_PAUSE_SECONDS;
}

async function wait(seconds: number, onPause: (seconds: number) => void): Promise<void> {
  onPause(seconds);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  onPause(0);
}

async function stoppedBy(response: Response): Promise<string> {
  const body = (await response.json().catch(() => ({}))) as { detail?: unknown };
  const detail = typeof body.detail === 'string' ? ` ${body.detail}` : '';
  if (response.status === 409) return `Your contacts are full.${detail}`;
  if (response.status === 401)
    return 'Your session ended. Sign in again, then import the file again: what is in already is skipped.';
  if (response.status === 403) return 'This app is not allowed to add contacts for you.';
  return `The contacts service refused the import (${response.status}).${detail}`;
}
