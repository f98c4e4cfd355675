// Small pieces shared by the route modules.
import type { FastifyRequest } from 'fastify';
import { Problem as ProblemSchema } from '../schemas.ts';
import type { Owner } from '../store/store.ts';

/** The (issuer, subject) of the verified token; the auth hook has run for scoped routes. */
export function ownerOf(request: FastifyRequest): Owner {
  const token = request.accessToken;
  if (!token) throw new Error('route has no scope, so no verified token');
  return { iss: token.issuer, sub: token.subject };
}

const descriptions: Record<number, string> = {
  400: 'Invalid request; `errors` names each bad field.',
  401: 'No, or an invalid, access token (see WWW-Authenticate).',
  403: 'The access token lacks the scope (see WWW-Authenticate).',
  404: 'No such contact among yours.',
  409: 'A per-user quota is full (`quota` names it): delete contacts, or wait for keys to expire.',
  412: 'If-Match does not match the current ETag (the contact changed).',
  413: 'Body larger than 16 KiB (a batch: 100 times that).',
  415: 'Body is not application/json.',
  422: 'Idempotency-Key reused with a different body.',
  428: 'If-Match is required.',
};

/** OpenAPI descriptions (and serialisers) for problem+json answers. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: descriptions[status] ?? 'Error',
        content: { 'application/problem+json': { schema: ProblemSchema } },
      },
    ]),
  );
}
