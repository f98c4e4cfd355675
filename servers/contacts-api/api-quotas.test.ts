// Per-user quotas over HTTP (issue 19): 409 problem+json naming the limit, on both engines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, useTestDatabase } from './store/test-databases.ts';
import { type Harness, startHarness } from './test-harness.ts';

describe.each(engines)('quotas on %s', (engine) => {
  const db = useTestDatabase(engine);

  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ ...db.settings, quotas: { contacts: 2, idempotencyKeys: 1 } });
  });
  afterAll(() => h.close());

  const writer = (sub: string) =>
    h.mint(sub, { claims: { scope: 'contacts:read contacts:write' } });
  const create = (token: string, name: string, key?: string) =>
    h.call('/contacts', {
      method: 'POST',
      token,
      body: { name },
      headers: key ? { 'idempotency-key': key } : {},
    });

  it('answers 409 naming the contacts limit once a user has as many as allowed', async () => {
    const token = await writer('full-of-contacts');
    expect((await create(token, 'One')).status).toBe(201);
    expect((await create(token, 'Two')).status).toBe(201);
    const refused = await create(token, 'Three');
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({
      status: 409,
      title: 'Conflict',
      quota: { name: 'contacts', limit: 2 },
    });
    expect(refused.body.detail).toContain('limit of 2 contacts');
    // Another user still has room.
    expect((await create(await writer('someone-else'), 'One')).status).toBe(201);
  });

  it('answers 409 naming the idempotency-key limit, and still replays a stored key', async () => {
    const token = await writer('many-keys');
    expect((await create(token, 'One', 'key-1')).status).toBe(201);
    const refused = await create(token, 'Two', 'key-2');
    expect(refused.status).toBe(409);
    expect(refused.body.quota).toEqual({ name: 'idempotencyKeys', limit: 1 });
    const replay = await create(token, 'One', 'key-1');
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });
});
