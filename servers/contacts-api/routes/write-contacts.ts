// contacts:write: create (Idempotency-Key), replace with PUT and delete (both If-Match).
// PUT, not PATCH: the SPA edits a whole contact, and a full replacement guarded by If-Match
// has one obvious meaning; absent optional fields are cleared.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { etagOf, requireIfMatch } from '../etag.ts';
import {
  type IdempotencyStore,
  keyReusedProblem,
  readIdempotencyKey,
  requestHash,
} from '../idempotency.ts';
import { notFound } from '../problem.ts';
import { Contact, ContactInput, ContactParams } from '../schemas.ts';
import type { ContactStore } from '../store.ts';
import { errorResponses, ownerOf } from './route-kit.ts';

const ifMatch = {
  type: 'object',
  properties: { 'if-match': { type: 'string', description: 'The ETag from your last read.' } },
} as const;

export function writeContactRoutes(
  app: FastifyInstance,
  store: ContactStore,
  idempotency: IdempotencyStore,
): void {
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
        response: { 201: Contact, ...errorResponses(400, 401, 403, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const owner = ownerOf(request);
      const key = readIdempotencyKey(request.headers['idempotency-key']);
      const hash = key === undefined ? '' : requestHash(request.body);
      const now = Date.now();
      // One transaction: look-up, insert and key record commit together or not at all.
      const { response, replayed } = store.transaction(() => {
        if (key !== undefined) {
          idempotency.purge(now);
          const stored = idempotency.find(owner, key, now);
          if (stored && stored.requestHash !== hash) throw keyReusedProblem();
          if (stored) return { response: stored.response, replayed: true };
        }
        const body = JSON.stringify(store.createContact(owner, request.body));
        if (key !== undefined)
          idempotency.save(owner, key, { requestHash: hash, response: body }, now);
        return { response: body, replayed: false };
      });
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
      const updated = store.transaction(() => {
        const current = store.getContact(owner, request.params.id);
        if (!current) throw notFound();
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
      store.transaction(() => {
        const current = store.getContact(owner, request.params.id);
        if (!current) throw notFound();
        requireIfMatch(request.headers['if-match'], current.version);
        store.deleteContact(owner, current.id);
      });
      return reply.code(204).send();
    },
  );
}

function sendJson(reply: FastifyReply, version: number, json: string): FastifyReply {
  return reply.header('ETag', etagOf(version)).type('application/json; charset=utf-8').send(json);
}
