// POST /contacts/batch: up to BATCH_MAX_ITEMS contacts in one request, for the SPA's vCard
// and CSV import (a 10,000-row file is 100 requests, not 10,000). Each item is checked by
// the very validator of a single create and answered on its own: created, duplicate (the
// owner already has a contact imported from the same item: import-key.ts) or invalid (which
// rule, on which field). All of the batch's writes are one transaction, and an
// Idempotency-Key is required, so a retried batch (a lost answer) replays the first answer
// instead of writing again. The per-user rate limit counts a batch as one request; the
// contacts quota holds for the whole batch (409, nothing written, when it would not fit).
import type { FastifyInstance } from 'fastify';
import { Compile } from 'typebox/compile';
import { keyReusedProblem, readIdempotencyKey, requestHash } from '../idempotency.ts';
import { importKeyOf } from '../import-key.ts';
import { quotaExceeded } from '../problem.ts';
import {
  BATCH_MAX_ITEMS,
  BODY_LIMIT,
  ContactBatch,
  ContactBatchEnvelope,
  ContactBatchResult,
  ContactInput,
} from '../schemas.ts';
import type { ContactStore } from '../store/store.ts';
import { type ImportItem, type ImportOutcome, QuotaExceededError } from '../store/store.ts';
import {
  errorsOf,
  type FieldError,
  fieldErrors,
  invalidFields,
  validatorCompiler,
} from '../validation.ts';
import { errorResponses, ownerOf } from './route-kit.ts';

/** The same compiled schema as a single create's body (validation.ts compiles it alike). */
const contactInput = Compile(ContactInput);
const envelope = Compile(ContactBatchEnvelope);

type Checked = { item: ImportItem } | { errors: FieldError[] };

/** The body's shape only: what is wrong inside an item (even a U+0000) goes in its result. */
function checkEnvelope(data: unknown) {
  if (envelope.Check(data)) return { value: data };
  return { error: invalidFields('body', fieldErrors(envelope.Errors(data))) };
}

export function importContactRoutes(app: FastifyInstance, store: ContactStore): void {
  app.post<{ Body: { items: unknown[] } }>(
    '/contacts/batch',
    {
      config: { scope: 'contacts:write' },
      // One item can take up to BODY_LIMIT, as a single create's body.
      bodyLimit: BATCH_MAX_ITEMS * BODY_LIMIT,
      // The documented body lists ContactInput items; only the envelope is validated here,
      // so one bad item is answered in its result instead of failing the whole batch.
      validatorCompiler: (route) =>
        route.httpPart === 'body' ? checkEnvelope : validatorCompiler(route),
      schema: {
        operationId: 'importContacts',
        summary: `Create up to ${BATCH_MAX_ITEMS} contacts at once, each checked on its own; an Idempotency-Key is required. An item the same as one imported before is a duplicate, even days later.`,
        headers: {
          type: 'object',
          properties: { 'idempotency-key': { type: 'string', maxLength: 255 } },
          required: ['idempotency-key'],
        },
        body: ContactBatch,
        response: {
          200: ContactBatchResult,
          ...errorResponses(400, 401, 403, 409, 413, 415, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const owner = ownerOf(request);
      const key = readIdempotencyKey(request.headers['idempotency-key']);
      // Required by the header schema (draft-ietf-httpapi-idempotency-key-header: 400 if absent).
      if (key === undefined) throw new Error('Idempotency-Key not validated');
      // The envelope was validated already; this narrows the type for what follows.
      if (!envelope.Check(request.body)) throw new Error('batch envelope not validated');
      const checked = request.body.items.map((value): Checked => {
        const errors = errorsOf(contactInput, value);
        if (errors.length > 0) return { errors };
        const input = value as ContactInput;
        return { item: { input, importKey: importKeyOf(input) } };
      });
      const valid = checked.flatMap((c) => ('item' in c ? [c.item] : []));
      try {
        const result = await store.importContacts(
          owner,
          valid,
          { key, requestHash: requestHash(request.body), now: Date.now() },
          (outcomes) => renderResult(checked, outcomes),
        );
        if (result.outcome === 'key-reused') throw keyReusedProblem();
        if (result.outcome === 'replayed') reply.header('Idempotent-Replayed', 'true');
        return reply.code(200).type('application/json; charset=utf-8').send(result.body);
      } catch (err) {
        if (err instanceof QuotaExceededError) throw quotaExceeded(err.quota, err.limit);
        throw err;
      }
    },
  );
}

/** The outcomes of the valid items, back in their places among the invalid ones. */
function renderResult(checked: readonly Checked[], outcomes: readonly ImportOutcome[]): string {
  let next = 0;
  const results = checked.map((c): ContactBatchResult['results'][number] => {
    if ('errors' in c) return { status: 'invalid', errors: c.errors };
    const outcome = outcomes[next++];
    if (!outcome) throw new Error('the store answered fewer outcomes than items');
    return outcome;
  });
  const count = (status: string) => results.filter((r) => r.status === status).length;
  const body: ContactBatchResult = {
    results,
    created: count('created'),
    duplicates: count('duplicate'),
    invalid: count('invalid'),
  };
  return JSON.stringify(body);
}
