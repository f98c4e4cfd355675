// What one replica accepted or stored, every replica knows: three API processes on one
// PostgreSQL database and one Redis, real tokens from the test IdP. Requests go to one
// replica directly (its own port) or through the round-robin proxy; every DPoP proof names
// the one public URL (the proxy's), as behind a real load balancer.
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { findDemoUser } from '../../servers/demo-data.ts';
import { createProof } from '../../servers/dpop-test-proofs.ts';
import { type ContactsApi, contactsApiAs } from '../contacts-api-client.ts';
import { killReplica, startReplica } from './api-replicas.ts';
import { databaseUrl, urls } from './replicas-env.ts';

test.describe.configure({ mode: 'serial' });

const env = { idpIssuer: urls.idp, spaOrigin: urls.spa, apiUrl: urls.api };
const replica = (n: 1 | 2 | 3) => urls.replica(n - 1);
const user = findDemoUser('sam');
if (!user) throw new Error('no demo user sam');

let api: ContactsApi;
let db: pg.Pool;
test.beforeAll(async () => {
  api = await contactsApiAs(user, undefined, env);
  db = new pg.Pool({ connectionString: databaseUrl, max: 1 });
});
test.afterAll(async () => {
  await db?.end();
});

const rowsNamed = async (name: string) =>
  Number((await db.query('SELECT count(*) AS n FROM contact WHERE name = $1', [name])).rows[0]?.n);
const created = (body: unknown) => body as { id: string; name: string; version: number };

test('a DPoP proof accepted by one replica is refused as a replay by another', async () => {
  const key = api.dpopKey;
  expect(key, 'the IdP binds the token (DPoP)').toBeDefined();
  if (!key) return;
  const send = (to: string, proof: string) =>
    fetch(`${to}/contacts`, {
      headers: { authorization: `DPoP ${api.accessToken}`, dpop: proof },
    });
  const proofWith = (claims: Record<string, unknown>) =>
    createProof(key, { htu: `${urls.api}/contacts`, token: api.accessToken, claims });
  // Learn the current nonce (every replica shares its secret).
  const challenge = await send(replica(1), await proofWith({}));
  const nonce = challenge.headers.get('dpop-nonce');
  const proof = await proofWith(nonce ? { nonce } : {});

  const first = await send(replica(1), proof);
  expect(first.status, 'the fresh proof is accepted (positive control)').toBe(200);
  const replayed = await send(replica(2), proof);
  expect(replayed.status).toBe(401);
  expect(replayed.headers.get('www-authenticate')).toMatch(/^DPoP .*error="invalid_dpop_proof"/);
  expect((await send(replica(3), proof)).status).toBe(401);
});

test('an Idempotency-Key retried at another replica gets the first answer; one row', async () => {
  const name = `Retried at replica 2 ${randomUUID()}`;
  const headers = { 'idempotency-key': randomUUID() };
  const first = await api.request('POST', '/contacts', {
    body: { name },
    headers,
    sendTo: replica(1),
  });
  expect(first.status, JSON.stringify(first.body)).toBe(201);
  const retry = await api.request('POST', '/contacts', {
    body: { name },
    headers,
    sendTo: replica(2),
  });
  expect(retry.status).toBe(201);
  expect(retry.headers.get('idempotent-replayed')).toBe('true');
  expect(retry.body).toEqual(first.body);
  expect(await rowsNamed(name)).toBe(1);
});

test('two creates with one Idempotency-Key at two replicas at once: the same 201, one row', async () => {
  for (let round = 0; round < 5; round += 1) {
    const name = `Raced ${round} ${randomUUID()}`;
    const headers = { 'idempotency-key': randomUUID() };
    const [a, b] = await Promise.all([
      api.request('POST', '/contacts', { body: { name }, headers, sendTo: replica(1) }),
      api.request('POST', '/contacts', { body: { name }, headers, sendTo: replica(2) }),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body).toEqual(a.body);
    expect(await rowsNamed(name)).toBe(1);
  }
});

test('an ETag read at one replica is stale at another once a third changed the contact: 412', async () => {
  const made = await api.request('POST', '/contacts', {
    body: { name: `Concurrent ${randomUUID()}` },
    sendTo: replica(1),
  });
  const { id, name } = created(made.body);
  const read = await api.request('GET', `/contacts/${id}`, { sendTo: replica(1) });
  const etag = read.headers.get('etag') ?? '';
  expect(etag).not.toBe('');

  const changed = await api.request('PUT', `/contacts/${id}`, {
    body: { name, company: 'Changed at replica 3' },
    headers: { 'if-match': etag },
    sendTo: replica(3),
  });
  expect(changed.status).toBe(200);
  const stale = await api.request('PUT', `/contacts/${id}`, {
    body: { name, company: 'Stale write at replica 2' },
    headers: { 'if-match': etag },
    sendTo: replica(2),
  });
  expect(stale.status).toBe(412);
  const now = await api.request('GET', `/contacts/${id}`, { sendTo: replica(1) });
  expect(now.body).toMatchObject({ company: 'Changed at replica 3' });
});

test('a write at one replica is in the next list and search of another', async () => {
  const word = `Zqx${randomUUID().slice(0, 8)}`;
  const name = `${word} Listed Everywhere`;
  // Each replica answers the list first, so each holds a cached page from before the write.
  for (const n of [1, 2, 3] as const) {
    expect((await api.request('GET', '/contacts', { sendTo: replica(n) })).status).toBe(200);
  }
  const made = await api.request('POST', '/contacts', { body: { name }, sendTo: replica(1) });
  expect(made.status).toBe(201);
  for (const n of [2, 3] as const) {
    const list = await api.request<{ items: { name: string }[] }>('GET', '/contacts?limit=200', {
      sendTo: replica(n),
    });
    expect(list.body.items.map((item) => item.name)).toContain(name);
    const search = await api.request<{ items: { name: string }[] }>(
      'GET',
      `/contacts?q=${encodeURIComponent(word.toLowerCase())}`,
      { sendTo: replica(n) },
    );
    expect(search.body.items.map((item) => item.name)).toEqual([name]);
  }
});

test('a replica killed (SIGKILL) during a burst of writes: every 2xx is stored once, the rest go on', async () => {
  test.setTimeout(90_000);
  const run = randomUUID().slice(0, 8);
  const writes = Array.from({ length: 120 }, (_, i) => ({
    name: `Burst ${run} ${String(i).padStart(3, '0')}`,
    key: randomUUID(),
  }));
  const outcomes: { name: string; key: string; status: number }[] = [];
  let killed = false;
  // Four writers through the proxy; replica 2 dies once a third of the writes are answered.
  const queue = [...writes];
  const writer = async () => {
    for (let write = queue.shift(); write; write = queue.shift()) {
      const answer = await api.request('POST', '/contacts', {
        body: { name: write.name },
        headers: { 'idempotency-key': write.key },
      });
      outcomes.push({ ...write, status: answer.status });
      if (!killed && outcomes.length >= writes.length / 3) {
        killed = true;
        await killReplica(1);
      }
    }
  };
  await Promise.all([writer(), writer(), writer(), writer()]);
  expect(killed).toBe(true);

  const ok = outcomes.filter((outcome) => outcome.status === 201);
  const lost = outcomes.filter((outcome) => outcome.status !== 201);
  test.info().annotations.push({
    type: 'burst',
    description: `${ok.length} writes answered 201, ${lost.length} lost in flight at the killed replica`,
  });
  // Only what was in flight at replica 2 when it died may fail (502 from the proxy).
  expect(lost.every((outcome) => outcome.status === 502)).toBe(true);
  expect(lost.length).toBeLessThanOrEqual(4);
  // The writes after the kill went through the other two.
  expect(outcomes.slice(-Math.floor(writes.length / 3)).every((o) => o.status === 201)).toBe(true);
  for (const { name } of ok) expect(await rowsNamed(name), name).toBe(1);

  // A retry of a failed write with its key: done once, whether or not it had been stored.
  for (const { name, key } of lost) {
    const retry = await api.request('POST', '/contacts', {
      body: { name },
      headers: { 'idempotency-key': key },
    });
    expect(retry.status).toBe(201);
    expect(await rowsNamed(name)).toBe(1);
  }
  const stored = await db.query('SELECT count(*) AS n FROM contact WHERE name LIKE $1', [
    `Burst ${run} %`,
  ]);
  expect(Number(stored.rows[0]?.n)).toBe(writes.length);

  await startReplica(1); // the environment has three again for the next specs
});
