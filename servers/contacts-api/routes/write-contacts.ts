// contacts:write: create (Idempotency-Key), replace with PUT and delete (both If-Match).
// PUT, not PATCH: the SPA edits a whole contact, and a full replacement guarded by If-Match
// has one obvious meaning; absent optional fields are cleared.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { etagOf, requireIfMatch } from '../etag.ts';
import { keyReusedProblem, readIdempotencyKey, requestHash } from '../idempotency.ts';
import { notFound, quotaExceeded } from '../problem.ts';
import { Contact, ContactInput, ContactParams } from '../schemas.ts';
import { type ContactStore, type Owner, QuotaExceededError } from '../store/store.ts';
import { errorResponses, ownerOf } from './route-kit.ts';

const ifMatch = {
  type: 'object',
  properties: { 'if-match': { type: 'string', description: 'The ETag from your last read.' } },
} as const;

export function writeContactRoutes(app: FastifyInstance, store: ContactStore): void {
  app.post<{ Body: ContactInput }>(
    '/contacts',
    {
      config: { scope: 'contacts:write' },
      schema: {
        operationId: 'createContact',
        summary: 'Create a contact. Send an Idempotency-Key so a retry never makes two.',
        headers: {
          type: 'object',
          properties: { 'idempotency-key': { type: 'string', maxLength: 255 } },
        },
        body: ContactInput,
        response: { 201: Contact, ...errorResponses(400, 401, 403, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const owner = ownerOf(request);
      const key = readIdempotencyKey(request.headers['idempotency-key']);
      let response: string;
      let replayed = false;
      try {
        if (key === undefined) {
          response = JSON.stringify(await store.createContact(owner, request.body));
        } else {
          // The store records the key with the contact, atomically (store.ts createContactOnce).
          const hash = requestHash(request.body);
          const result = await store.createContactOnce(owner, request.body, {
            key,
            requestHash: hash,
            now: Date.now(),
          });
          if (result.outcome === 'key-reused') throw keyReusedProblem();
          response = result.body;
          replayed = result.outcome === 'replayed';
        }
      } catch (err) {
        if (err instanceof QuotaExceededError) throw quotaExceeded(err.quota, err.limit);
        throw err;
      }
      const { id, version } = JSON.parse(response) as Contact;
      if (replayed) reply.header('Idempotent-Replayed', 'true');
      return sendJson(reply.code(201).header('Location', `/contacts/${id}`), version, response);
    },
  );

  app.put<{ Params: ContactParams; Body: ContactInput }>(
    '/contacts/:id',
    {
      config: { scope: 'contacts:write' },
      schema: {
        operationId: 'updateContact',
        summary: 'Replace a contact. If-Match is required.',
        params: ContactParams,
        headers: ifMatch,
        body: ContactInput,
        response: { 200: Contact, ...errorResponses(400, 401, 403, 404, 412, 413, 415, 428) },
      },
    },
    async (request, reply) => {
      const owner = ownerOf(request);
      const updated = await whileCurrent(store, owner, request.params.id, (current) => {
        requireIfMatch(request.headers['if-match'], current.version);
        return store.replaceContact(owner, current, request.body);
      });
      return sendJson(reply, updated.version, JSON.stringify(updated));
    },
  );

  app.delete<{ Params: ContactParams }>(
    '/contacts/:id',
    {
      config: { scope: 'contacts:write' },
      schema: {
        operationId: 'deleteContact',
        summary: 'Delete a contact. If-Match is required.',
        params: ContactParams,
        headers: ifMatch,
        response: {
          204: { description: 'Deleted.', type: 'null' },
          ...errorResponses(401, 403, 404, 412, 428),
        },
      },
    },
    async (request, reply) => {
      const owner = ownerOf(request);
      await whileCurrent(store, owner, request.params.id, async (current) => {
        requireIfMatch(request.headers['if-match'], current.version);
        return (await store.deleteContact(owner, current.id, current.version)) || undefined;
      });
      return reply.code(204).send();
    },
  );
}

/**
 * Reads the contact and runs `write`, which checks If-Match against what it read and writes
 * only if the row is still at that version (store.ts). When another writer got in between,
 * it reads again: If-Match then fails with 412 and the newer ETag (or 404 when it went).
 * IMPORTANT: the version condition in the store, not this read, is what stops a lost update.
 */
async function whileCurrent<T>(
  store: ContactStore,
  owner: Owner,
  id: string,
  write: (current: Contact) => Promise<T | undefined>,
): Promise<T> {
  for (;;) {
    const current = await store.getContact(owner, id);
    if (!current) throw notFound();
    const done = await write(current);
    if (done !== undefined) return done;
  }
}

function sendJson(reply: FastifyReply, version: number, json: string): FastifyReply {
  return reply.header('ETag', etagOf(version)).type('application/json; charset=utf-8').send(json);
}
