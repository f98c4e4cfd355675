// The OpenAPI document without a server, a file or an issuer: the app is built around an
// in-memory database and a verifier that refuses everything, then asked for its document.
// Used by scripts/generate-api-types.ts and its staleness test.
import { buildApp } from './app.ts';
import { openSqliteStore } from './store/sqlite-database.ts';
import { InvalidTokenError } from './verify-access-token.ts';

export async function openApiDocument(): Promise<Record<string, unknown>> {
  const store = openSqliteStore(':memory:');
  const app = await buildApp({
    store,
    verifier: () => Promise.reject(new InvalidTokenError()),
    publicUrl: 'http://localhost:4001',
    corsOrigins: [],
  });
  try {
    await app.ready();
    return JSON.parse(JSON.stringify(app.swagger())) as Record<string, unknown>;
  } finally {
    await app.close();
    await store.close();
  }
}
