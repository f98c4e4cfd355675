// CORS (R13, case 58), security headers, /health, unknown paths and the OpenAPI document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contact, ContactInput, ContactPage } from './schemas.ts';
import { engines, useTestDatabase } from './store/test-databases.ts';
import { type Harness, REALM_ONLY, SPA, startHarness } from './test-harness.ts';

describe.each(engines)('on %s', (engine) => {
  const db = useTestDatabase(engine);

  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(db.settings);
  });
  afterAll(() => h.close());

  const preflight = (
    origin: string,
    headers = 'authorization, if-match, idempotency-key, content-type',
  ) =>
    fetch(`${h.url}/contacts`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'PUT',
        'access-control-request-headers': headers,
      },
    });

  describe('CORS', () => {
    it('approves the SPA origin exactly, with the headers it sends', async () => {
      const response = await preflight(SPA);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(SPA);
      const allowed = response.headers.get('access-control-allow-headers')?.toLowerCase() ?? '';
      for (const header of ['authorization', 'content-type', 'if-match', 'idempotency-key']) {
        expect(allowed).toContain(header);
      }
      expect(response.headers.get('access-control-allow-methods')).toContain('DELETE');
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    });

    it.each([
      ['https://evil.example'],
      ['http://localhost:5174'],
      ['null'],
      [`${SPA}.evil.example`],
    ])('58: gives %s nothing: no allowed origin, no approved Authorization', async (origin) => {
      const response = await preflight(origin);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-headers')).toBeNull();
    });

    it('exposes ETag, WWW-Authenticate and Location to the SPA, on errors too', async () => {
      const response = await fetch(`${h.url}/contacts`, { headers: { origin: SPA } });
      expect(response.status).toBe(401);
      expect(response.headers.get('access-control-allow-origin')).toBe(SPA);
      const exposed = response.headers.get('access-control-expose-headers')?.toLowerCase() ?? '';
      for (const header of ['etag', 'www-authenticate', 'location'])
        expect(exposed).toContain(header);
      expect(response.headers.get('www-authenticate')).toBe(REALM_ONLY);
    });
  });

  describe('plain routes', () => {
    it('/health answers without a token, with no-store and nosniff', async () => {
      const response = await fetch(`${h.url}/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok' });
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    });

    it('an unknown path is a problem+json 404 that does not echo the URL', async () => {
      const answer = await h.call('/nowhere?access_token=abc.def.ghi');
      expect(answer.status).toBe(404);
      expect(answer.challenge).toBeNull();
      expect(JSON.stringify(answer.body)).not.toContain('abc.def');
    });

    it('an unauthenticated request is answered before anything else is looked at', async () => {
      const answer = await h.call('/contacts/some-id', { method: 'DELETE' });
      expect(answer.status).toBe(401);
      expect(answer.challenge).toBe(REALM_ONLY);
    });
  });

  interface Operation {
    operationId: string;
    parameters: { name: string; in: string }[];
    security: unknown;
    requestBody: { content: Record<string, { schema: unknown }> };
    responses: Record<
      string,
      { content: Record<string, { schema: unknown }>; headers?: Record<string, unknown> }
    >;
  }
  interface OpenApiDoc {
    openapi: string;
    paths: Record<string, Record<string, Operation>>;
  }

  describe('/openapi.json', () => {
    it('is OpenAPI 3.1 built from the very schemas the routes validate with', async () => {
      const doc = (await h.call('/openapi.json')).body as unknown as OpenApiDoc;
      expect(doc.openapi).toBe('3.1.0');
      const create = doc.paths['/contacts']!.post!;
      expect(create.operationId).toBe('createContact');
      const strip = (schema: unknown) => JSON.parse(JSON.stringify(schema));
      expect(create.requestBody.content['application/json']!.schema).toEqual(strip(ContactInput));
      expect(create.responses['201']!.content['application/json']!.schema).toEqual(strip(Contact));
      const list = doc.paths['/contacts']!.get!;
      expect(list.responses['200']!.content['application/json']!.schema).toEqual(
        strip(ContactPage),
      );
      expect(list.parameters.map((p) => p.name)).toEqual(['q', 'limit', 'cursor', 'if-none-match']);
      // Conditional GETs as the routes answer them: ETag on 200, If-None-Match, 304.
      for (const read of [list, doc.paths['/contacts/{id}']!.get!]) {
        expect(read.parameters.find((p) => p.name === 'if-none-match')?.in).toBe('header');
        expect(read.responses['200']!.headers?.ETag).toBeDefined();
        expect(read.responses['304']).toBeDefined();
      }
      expect(list.security).toEqual([{ bearer: [] }]);
      expect(Object.keys(doc.paths['/contacts/{id}']!).sort()).toEqual(['delete', 'get', 'put']);
      expect(doc.paths['/contacts/{id}']!.put!.responses['428']).toBeDefined();
    });
  });
});
