// The API on PostgreSQL through a TCP proxy the test cuts or stalls (never the machine's
// PostgreSQL itself): 503 with Retry-After while the database cannot be reached or does not
// answer within DATABASE_TIMEOUT_MS, /ready says so, the API serves again by itself once it
// can, and nothing stored is lost or made twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from './store/test-databases.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';
import { type Answer, type Harness, startHarness } from './test-harness.ts';

describe('the API when PostgreSQL goes away', () => {
  const db = useTestDatabase('postgres');
  let proxy: TcpProxy;
  let h: Harness;
  let token: string;

  beforeAll(async () => {
    const direct = new URL(db.settings.databaseUrl ?? '');
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const proxied = new URL(direct);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    // 1 s instead of the default 5: the stalled requests below wait it out.
    h = await startHarness({ ...db.settings, databaseUrl: proxied.href, databaseTimeoutMs: 1_000 });
    token = await h.mint('sub-alice', { claims: { scope: 'contacts:read contacts:write' } });
  });
  afterAll(async () => {
    await h?.close();
    await proxy?.close();
  });

  const list = () => h.call('/contacts', { token });
  const create = (name: string, key: string) =>
    h.call('/contacts', {
      method: 'POST',
      token,
      body: { name },
      headers: { 'idempotency-key': key },
    });
  const expectUnavailable = (answer: Answer) => {
    expect(answer.status).toBe(503);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.headers.get('retry-after')).toBe('5');
    expect(answer.body).toMatchObject({ status: 503, title: 'Service Unavailable' });
  };

  const untilServing = async () => {
    let back: Answer = await list();
    for (let i = 0; back.status !== 200 && i < 50; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      back = await list();
    }
    return back;
  };

  it('answers 503 while cut, then serves again by itself with every stored row', async () => {
    expect((await create('Ada', 'key-ada-0001')).status).toBe(201); // positive control
    expect((await list()).status).toBe(200);

    await proxy.cut();
    try {
      const started = Date.now();
      expectUnavailable(await list());
      expectUnavailable(await create('Grace', 'key-grace-001'));
      expect(Date.now() - started).toBeLessThan(10_000); // no request hangs
      const ready = await h.call('/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.reasons).toEqual(
        expect.arrayContaining([expect.stringMatching(/^database: /)]),
      );
      // A 5xx line for operators, naming the route (not the URL) and the reason: the pooled
      // connection cut mid-use, then a new one refused.
      expect(h.logged).toEqual([
        'contacts API: GET /contacts failed: Connection terminated unexpectedly',
        expect.stringMatching(/^contacts API: POST \/contacts failed: connect ECONNREFUSED /),
      ]);
    } finally {
      await proxy.restore();
    }

    const back = await untilServing();
    expect(back.status).toBe(200);
    expect(back.body.items?.map((c) => c.name)).toEqual(['Ada']);
    // The create that got 503 is retried with its key: made once.
    expect((await create('Grace', 'key-grace-001')).status).toBe(201);
    expect((await create('Grace', 'key-grace-001')).headers.get('idempotent-replayed')).toBe(
      'true',
    );
    expect((await list()).body.items?.map((c) => c.name)).toEqual(['Ada', 'Grace']);
  });

  it('answers 503 within the timeout while the database stalls (connections open, no answer)', async () => {
    const before = (await list()).body.items?.map((c) => c.name) ?? [];
    expect((await create('Hopper', 'key-hopper-01')).status).toBe(201); // positive control
    const logged = h.logged.length;

    proxy.stall();
    try {
      for (const request of [
        list, // a pooled connection: the query's answer never comes (query_timeout)
        () => create('Lamarr', 'key-lamarr-01'), // BEGIN on another pooled connection
        list, // on a new connection: its start-up never finishes (connectionTimeoutMillis)
        () => h.call('/ready'),
      ]) {
        const started = Date.now();
        const answer = await request();
        expect(Date.now() - started).toBeLessThan(4_000); // 1 s timeout (+1 s at the client)
        expect(answer.status).toBe(503);
        expect(answer.headers.get('retry-after')).toBe('5');
      }
      expect(h.logged.slice(logged)).toEqual([
        expect.stringMatching(/^contacts API: GET \/contacts failed: /),
        expect.stringMatching(/^contacts API: POST \/contacts failed: /),
        expect.stringMatching(/^contacts API: GET \/contacts failed: /),
      ]);
    } finally {
      proxy.resume();
    }

    expect((await untilServing()).status).toBe(200);
    // The create that got 503 never reached the server; retried with its key it is made once.
    expect((await create('Lamarr', 'key-lamarr-01')).status).toBe(201);
    expect((await create('Lamarr', 'key-lamarr-01')).headers.get('idempotent-replayed')).toBe(
      'true',
    );
    expect((await list()).body.items?.map((c) => c.name)).toEqual([...before, 'Hopper', 'Lamarr']);
  });
});
