// The IdP's secrets, made on first start and kept in the (git-ignored) data folder, so a
// restart keeps issued tokens verifiable and browser sessions valid.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

export const SIGNING_KEYS_FILE = 'idp-signing-keys.json';
export const COOKIE_KEYS_FILE = 'idp-cookie-keys.json';

export interface IdpKeys {
  /** Private signing keys, newest first (oidc-provider signs with the first that fits). */
  jwks: { keys: JWK[] };
  /** Secrets that sign the IdP's cookies. */
  cookieKeys: string[];
}

export async function loadOrCreateKeys(dataDir: string): Promise<IdpKeys> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const jwks = await loadOrCreate(path.join(dataDir, SIGNING_KEYS_FILE), createSigningKeys);
  const cookieKeys = await loadOrCreate(path.join(dataDir, COOKIE_KEYS_FILE), createCookieKeys);
  return {
    jwks: await checkSigningKeys(jwks, SIGNING_KEYS_FILE),
    cookieKeys: checkCookieKeys(cookieKeys),
  };
}

async function createSigningKeys(): Promise<{ keys: JWK[] }> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  // RFC 7638 thumbprint as kid: a new key always gets a new kid, so verifiers caching
  // the JWKS refetch instead of failing on a stale key with the same kid.
  return { keys: [{ ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'RS256', use: 'sig' }] };
}

async function createCookieKeys(): Promise<string[]> {
  return [randomBytes(32).toString('base64url')];
}

async function loadOrCreate(file: string, create: () => Promise<unknown>): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if (!isCode(error, 'ENOENT')) throw new Error(`cannot read ${file}: ${String(error)}`);
  }
  const value = await create();
  try {
    // 'wx': if another process created the file meanwhile, keep theirs.
    await writeFile(file, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    return value;
  } catch (error) {
    if (!isCode(error, 'EEXIST')) throw error;
    return JSON.parse(await readFile(file, 'utf8'));
  }
}

async function checkSigningKeys(value: unknown, file: string): Promise<{ keys: JWK[] }> {
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new Error(
      `${file} must hold {"keys": [private RSA JWK, ...]}; delete it to make a new key`,
    );
  }
  return {
    keys: await Promise.all(
      keys.map(async (key: JWK) => {
        if (key.kty !== 'RSA' || typeof key.d !== 'string') {
          throw new Error(
            `${file}: every key must be a private RSA JWK; delete it to make a new key`,
          );
        }
        return { ...key, kid: await calculateJwkThumbprint(key), alg: 'RS256', use: 'sig' };
      }),
    ),
  };
}

function checkCookieKeys(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((k) => typeof k === 'string')) {
    throw new Error(
      `${COOKIE_KEYS_FILE} must hold a JSON array of strings; delete it to make new ones`,
    );
  }
  return value;
}

function isCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === code;
}
