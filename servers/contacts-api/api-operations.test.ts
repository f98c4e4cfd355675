// What an operator relies on: GET /health and GET /ready, and the JSON request lines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, useTestDatabase } from './store/test-databases.ts';
import { type Harness, startHarness, startIssuer } from './test-harness.ts';

describe.each(engines)('on %s', (engine) => {
  const db = useTestDatabase(engine);

  let h: Harness;
  const lines: string[] = [];
  beforeAll(async () => {
    h = await startHarness({ ...db.settings, requestLog: { write: (line) => lines.push(line) } });
  });
  afterAll(() => h.close());

  const logged = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

  describe('GET /ready', () => {
    it('is 200 once the database answers and every trusted issuer’s keys are loaded', async () => {
      const response = await h.call('/ready');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'ready' });
      // It loaded them itself: no token was needed first.
      expect(h.issuer.hits).toContain('/jwks');
      expect(h.other.hits).toContain('/jwks');
    });

    it('is 503 naming the issuer whose keys cannot be loaded', async () => {
      const down = await startIssuer();
      down.server.close();
      const api = await h.startWorker({ trustedIssuers: [h.issuer.issuer, down.issuer] });
      const response = await h.call('/ready', { via: api });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(response.body.status).toBe('unavailable');
      expect(response.body.reasons).toEqual([
        expect.stringMatching(
          new RegExp(`^keys of ${down.issuer} not loaded: discovery at .* failed`),
        ),
      ]);
      // Liveness does not depend on it.
      expect((await h.call('/health', { via: api })).status).toBe(200);
    });

    it('is 503 naming the database when it cannot be read', async () => {
      const api = await h.startWorker();
      await api.store.close();
      const response = await h.call('/ready', { via: api });
      expect(response.status).toBe(503);
      // SQLite: "The database connection is not open"; PostgreSQL: the pool has ended.
      expect(response.body.reasons).toEqual([
        expect.stringMatching(
          /^database: (The database connection is not open|Cannot use a pool after calling end on the pool)$/,
        ),
      ]);
    });
  });

  describe('request log', () => {
    it('writes one JSON line per request: method, route, status, duration, request id, issuer and subject', async () => {
      const token = await h.mint('user-log-1');
      lines.length = 0;
      const response = await h.call('/contacts?limit=5', { token });
      expect(response.status).toBe(200);
      const [line] = logged().filter((entry) => entry.route === '/contacts');
      expect(line).toMatchObject({
        level: 30,
        msg: 'request',
        method: 'GET',
        route: '/contacts',
        status: 200,
        iss: h.issuer.issuer,
        sub: 'user-log-1',
      });
      expect(line?.durationMs).toEqual(expect.any(Number));
      expect(line?.requestId).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
    });

    it('keeps a proxy’s request id', async () => {
      lines.length = 0;
      await h.call('/health', { headers: { 'x-request-id': 'nginx-0123456789abcdef' } });
      expect(logged()).toEqual([
        expect.objectContaining({ route: '/health', requestId: 'nginx-0123456789abcdef' }),
      ]);
    });

    it('never holds the token, the URL’s query or any header', async () => {
      const token = await h.mint('user-log-2');
      lines.length = 0;
      await h.call('/contacts', { token, headers: { cookie: 'session=secret-cookie-value' } });
      await h.call(`/contacts?access_token=${token}`); // refused (401): still logged, without it
      await h.call(`/no/such/path?code=secret-code-value`);
      await h.call('/contacts', { token: `${token}x` }); // 401
      const text = lines.join('\n');
      expect(logged().map((entry) => entry.status)).toEqual([200, 401, 404, 401]);
      expect(logged()[2]?.route).toBeNull();
      for (const secret of [
        token,
        token.split('.')[2],
        'secret-cookie-value',
        'secret-code-value',
      ]) {
        expect(text).not.toContain(secret);
      }
      expect(text).not.toMatch(/authorization|cookie|access_token/i);
    });
  });
});
