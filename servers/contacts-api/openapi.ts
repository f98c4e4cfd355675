// /openapi.json: OpenAPI 3.1 built by @fastify/swagger from the route schemas themselves.
import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';

export async function registerOpenApi(app: FastifyInstance, serverUrl: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Contacts API',
        version: '1.0.0',
        description:
          'Your contacts, keyed by the issuer and subject of your access token. Reads need ' +
          'contacts:read, writes contacts:write. Errors are RFC 9457 problem+json, and auth ' +
          'errors carry an RFC 6750 WWW-Authenticate challenge.',
      },
      servers: [{ url: serverUrl }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT (RFC 9068 at+jwt)' },
        },
      },
    },
    // Scoped routes say so; the OAuth scopes go in the description (a plain http scheme).
    transform: ({ schema, route }) => {
      const scope = route.config?.scope;
      const documented = scope
        ? { ...schema, security: [{ bearer: [] }], description: `Needs the ${scope} scope.` }
        : schema;
      return { schema: documented, url: route.url };
    },
  });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
}
