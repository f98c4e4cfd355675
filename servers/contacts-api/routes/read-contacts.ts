// contacts:read: list (keyset pages, search) and get one.
import type { FastifyInstance } from 'fastify';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { etagOf, matchesIfNoneMatch, notModified } from '../etag.ts';
import { searchTerms } from '../fold.ts';
import type { ListEtag } from '../list-etag.ts';
import type { PageCache } from '../page-cache.ts';
import { notFound, Problem } from '../problem.ts';
import { Contact, ContactPage, ContactParams, LIMITS, ListQuery } from '../schemas.ts';
import type { ContactStore } from '../store/store.ts';
import { errorResponses, ownerOf } from './route-kit.ts';

const MAX_TERMS = 8;

/** Conditional GETs, documented in the OpenAPI document as the routes answer them. */
const ifNoneMatch = {
  type: 'object',
  properties: {
    'if-none-match': {
      type: 'string',
      description: 'The ETag of your copy: 304 without a body while it is current.',
    },
  },
} as const;
const etagHeader = {
  ETag: { type: 'string', description: 'Send it back as If-None-Match to revalidate.' },
} as const;
const notModifiedResponse = {
  description: 'Not Modified: your copy (If-None-Match) is current. No body.',
  type: 'null',
} as const;
const ITEMS_START = Buffer.from('{"items":[');
const EMPTY_PAGE = Buffer.from('{"items":[],"nextCursor":null}');

export function readContactRoutes(
  app: FastifyInstance,
  store: ContactStore,
  pages: PageCache,
  listEtagOf: ListEtag,
): void {
  app.get<{ Querystring: ListQuery }>(
    '/contacts',
    {
      config: { scope: 'contacts:read' },
      schema: {
        operationId: 'listContacts',
        summary: 'One page of your contacts, by name; optionally only those matching `q`.',
        querystring: ListQuery,
        headers: ifNoneMatch,
        response: {
          200: { ...ContactPage, headers: etagHeader },
          304: notModifiedResponse,
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const { q = '', limit = LIMITS.pageDefault, cursor } = request.query;
      const terms = searchTerms(q);
      if (terms.length > MAX_TERMS) {
        throw new Problem(400, 'The request query is not valid: q.', {
          errors: [{ field: 'query.q', message: `has more than ${MAX_TERMS} words` }],
        });
      }
      const after = cursor === undefined ? undefined : decodeCursor(cursor);
      const owner = ownerOf(request);
      // IMPORTANT: the version is read before the page. A write committed in between makes
      // the page newer than its version (the next read misses and rebuilds), never older.
      const listed = await store.listVersion(owner);
      reply.type('application/json; charset=utf-8');
      if (listed === undefined) return reply.send(EMPTY_PAGE); // never had a contact
      const etag = listEtagOf(owner, listed.version);
      reply.header('ETag', etag);
      if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) {
        return reply.code(304).send();
      }
      // The owner's number first: no key of one user can equal another's. JSON for the rest:
      // a cursor may hold any character, so a plain separator could be forged.
      const key = `${listed.ownerId}${JSON.stringify([limit, cursor ?? null, terms])}`;
      const cached = pages.get(key, listed.version);
      if (cached !== undefined) return reply.send(cached);
      const page = await store.listContactsJson(owner, { terms, after, limit });
      const nextCursor = JSON.stringify(page.next && encodeCursor(page.next));
      // Stored JSON bytes joined: the same bytes the ContactPage schema would produce, sent
      // as a Buffer so nothing is re-encoded.
      const tail = Buffer.from(`],"nextCursor":${nextCursor}}`);
      const body = Buffer.concat([ITEMS_START, page.items, tail]);
      pages.set(key, { version: listed.version, body });
      return reply.send(body);
    },
  );

  app.get<{ Params: ContactParams }>(
    '/contacts/:id',
    {
      config: { scope: 'contacts:read' },
      schema: {
        operationId: 'getContact',
        summary: 'One contact, with its ETag.',
        params: ContactParams,
        headers: ifNoneMatch,
        response: {
          200: { ...Contact, headers: etagHeader },
          304: notModifiedResponse,
          ...errorResponses(401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const contact = await store.getContact(ownerOf(request), request.params.id);
      if (!contact) throw notFound();
      reply.header('ETag', etagOf(contact.version));
      if (notModified(request.headers['if-none-match'], contact.version)) {
        return reply.code(304).send();
      }
      return contact;
    },
  );
}
