// SIGTERM during a burst of creates, against the real process (main.ts): it stops accepting,
// finishes what is in flight (one create is held in flight on purpose: its token's key is
// being fetched when the signal comes), closes the database and exits 0. After a restart on
// the same file every create that got a 2xx is there, and retrying the others with their
// Idempotency-Key makes none twice.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportJWK } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../free-port.ts';
import { AUDIENCE, createTestKeys, mintAccessToken, type TestKeys } from './test-tokens.ts';

let dir: string;
let keys: TestKeys;
let issuer: string;
let issuerServer: Server;
/** The JWKS request to hold (set while armed): resolves `arrived`, answers on `release`. */
let hold: { arrived: () => void; release: Promise<void> } | undefined;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'contacts-api-sigterm-'));
  keys = await createTestKeys();
  const rogueJwk = { ...(await exportJWK(keys.rogue.publicKey)), kid: keys.rogue.kid };
  issuerServer = createServer(async (req, res) => {
    const json = (body: unknown) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/.well-known/openid-configuration') {
      return json({ issuer, jwks_uri: `${issuer}/jwks` });
    }
    const held = hold;
    if (!held) return json(keys.jwks);
    held.arrived();
    await held.release;
    json({ keys: [...keys.jwks.keys, rogueJwk] });
  });
  await new Promise<void>((resolve) => issuerServer.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  issuerServer.close();
  await rm(dir, { recursive: true, force: true });
});

async function startApi(
  port: number,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'servers/contacts-api/main.ts'], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production', // no demo seed; a loopback http issuer is still allowed
      API_PORT: String(port),
      API_HOST: '127.0.0.1',
      API_PUBLIC_URL: url,
      API_RESOURCE: AUDIENCE,
      TRUSTED_ISSUERS: issuer,
      CONTACTS_DB: path.join(dir, 'contacts.sqlite'),
      DATA_DIR: dir,
      // The burst is one user sending creates as fast as it can, for as long as the test
      // needs: what the per-user rate limit exists to refuse. Off, since shutdown is tested.
      API_RATE_LIMIT_PER_USER: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (output.includes(`contacts API ${url}`)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    child.once('exit', (code) => reject(new Error(`the API exited (${code}) at start: ${output}`)));
  });
  return { child, url, output: () => output };
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

interface Create {
  key: string;
  name: string;
  status?: number;
  id?: string;
  error?: string;
}

async function create(url: string, token: string, attempt: Create): Promise<void> {
  try {
    const response = await fetch(`${url}/contacts`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': attempt.key,
      },
      body: JSON.stringify({ name: attempt.name }),
    });
    attempt.status = response.status;
    const body = (await response.json().catch(() => ({}))) as { id?: string };
    attempt.id = body.id;
  } catch (err) {
    attempt.error = String((err as Error).cause ?? err);
  }
}

async function listNames(url: string, token: string): Promise<{ id: string; name: string }[]> {
  const all: { id: string; name: string }[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const response = await fetch(`${url}/contacts?limit=200${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    const page = (await response.json()) as {
      items: { id: string; name: string }[];
      nextCursor: string | null;
    };
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

it('SIGTERM mid-burst: in-flight creates finish, the process exits 0, no create is lost or made twice', async () => {
  const port = await freePort();
  const { child, url, output } = await startApi(port);
  const claims = { iss: issuer, scope: 'contacts:read contacts:write' };
  const token = await mintAccessToken(keys, 'burst-user', { claims });
  // Signed by a key the API has not seen: verifying it makes the API fetch the JWKS again.
  const heldToken = await mintAccessToken(keys, 'burst-user', { claims, key: keys.rogue });
  expect((await fetch(`${url}/ready`)).status).toBe(200); // keys loaded: the burst is fast

  const attempts: Create[] = [];
  let refused = false;
  let sequence = 0;
  const burst = async () => {
    // Until the API stops accepting (a refused connection, or 503 on a kept-alive one).
    while (!refused && sequence < 2_000) {
      sequence += 1;
      const attempt: Create = { key: `burst-${sequence}`, name: `Burst ${sequence}` };
      attempts.push(attempt);
      await create(url, token, attempt);
      if (attempt.error !== undefined || attempt.status === 503) refused = true;
    }
  };
  const workers = Array.from({ length: 6 }, burst);

  // Once the burst is under way, one create whose key fetch is held: it is in flight when
  // SIGTERM arrives, and stays in flight until the API has stopped accepting.
  await expect
    .poll(() => attempts.filter((a) => a.status === 201).length, { timeout: 20_000 })
    .toBeGreaterThan(20);
  let arrived = () => {};
  let release = () => {};
  hold = {
    arrived: () => arrived(),
    release: new Promise<void>((resolve) => {
      release = resolve;
    }),
  };
  const held: Create = { key: 'held-1', name: 'Held in flight' };
  const heldDone = new Promise<void>((resolve) => {
    arrived = resolve;
  }).then(() => {
    child.kill('SIGTERM');
  });
  const heldCreate = create(url, heldToken, held);
  await heldDone;
  await Promise.all(workers);
  expect(refused).toBe(true);
  release();
  await heldCreate;
  hold = undefined;

  expect(held).toMatchObject({ status: 201 });
  expect(await exited(child)).toBe(0);
  // Drained, not cut: no connection was still open when the bound ran out.
  expect(output()).not.toContain('still running after');

  // Restart on the same file: every 2xx create is there, once.
  const again = await startApi(port);
  const succeeded = [...attempts, held].filter((a) => a.status === 201);
  expect(succeeded.length).toBeGreaterThan(20);
  const listed = await listNames(again.url, token);
  const ids = new Set(listed.map((contact) => contact.id));
  for (const attempt of succeeded) expect(ids.has(attempt.id ?? '')).toBe(true);
  expect(listed.length).toBe(ids.size);

  // A client retries what got no 2xx, with the same key: each create exists exactly once.
  const retried = attempts.filter((a) => a.status !== 201);
  for (const attempt of retried) {
    const retry: Create = { key: attempt.key, name: attempt.name };
    await create(again.url, token, retry);
    expect(retry.status).toBe(201);
  }
  const names = (await listNames(again.url, token)).map((contact) => contact.name).sort();
  const expected = [...attempts, held].map((attempt) => attempt.name).sort();
  expect(names).toEqual(expected);

  again.child.kill('SIGTERM');
  expect(await exited(again.child)).toBe(0);
}, 60_000);
