// The IdP's secrets, made on first start and kept in the (git-ignored) data folder, so a
// restart keeps issued tokens verifiable and browser sessions valid.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

export const SIGNING_KEYS_FILE = 'idp-signing-keys.json';
export const COOKIE_KEYS_FILE = 'idp-cookie-keys.json';

/** Signing algorithms the IdP holds a key for; RS256 is every client's default. */
export const SIGNING_ALGS = ['RS256', 'ES256'] as const;
/** Old keys kept published after rotations, per algorithm (bounded, so files stay small). */
const MAX_OLD_KEYS_PER_ALG = 2;

export interface IdpKeys {
  /** Private signing keys, newest first (oidc-provider signs with the first that fits). */
  jwks: { keys: JWK[] };
  /** Secrets that sign the IdP's cookies. */
  cookieKeys: string[];
}

export async function loadOrCreateKeys(dataDir: string): Promise<IdpKeys> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, SIGNING_KEYS_FILE);
  let jwks = await checkSigningKeys(await loadOrCreate(file, createSigningKeys), SIGNING_KEYS_FILE);
  // A file from before ES256 was offered: add the missing key, keep the RSA one.
  const missing = SIGNING_ALGS.filter((alg) => !jwks.keys.some((key) => key.alg === alg));
  if (missing.length > 0) {
    jwks = { keys: [...jwks.keys, ...(await Promise.all(missing.map(createSigningKey)))] };
    await replaceFile(file, jwks);
  }
  const cookieKeys = await loadOrCreate(path.join(dataDir, COOKIE_KEYS_FILE), createCookieKeys);
  return { jwks, cookieKeys: checkCookieKeys(cookieKeys) };
}

/**
 * New signing keys for every algorithm, first in the set so they sign from now on. With
 * `keepOld` the previous keys stay published (tokens they signed still verify); without,
 * they are gone from the JWKS at once.
 */
export async function rotateSigningKeys(
  dataDir: string,
  current: IdpKeys,
  keepOld: boolean,
): Promise<IdpKeys> {
  const fresh = await Promise.all(SIGNING_ALGS.map(createSigningKey));
  const old = keepOld
    ? SIGNING_ALGS.flatMap((alg) =>
        current.jwks.keys.filter((key) => key.alg === alg).slice(0, MAX_OLD_KEYS_PER_ALG),
      )
    : [];
  const jwks = { keys: [...fresh, ...old] };
  await replaceFile(path.join(dataDir, SIGNING_KEYS_FILE), jwks);
  return { ...current, jwks };
}

async function createSigningKeys(): Promise<{ keys: JWK[] }> {
  return { keys: await Promise.all(SIGNING_ALGS.map(createSigningKey)) };
}

async function createSigningKey(alg: (typeof SIGNING_ALGS)[number]): Promise<JWK> {
  const options = alg === 'RS256' ? { modulusLength: 2048 } : {};
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...options });
  const jwk = await exportJWK(privateKey);
  // RFC 7638 thumbprint as kid: a new key always gets a new kid, so verifiers caching
  // the JWKS refetch instead of failing on a stale key with the same kid.
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg, use: 'sig' };
}

async function replaceFile(file: string, value: unknown): Promise<void> {
  // Write then rename, so a crash never leaves half a key file.
  await writeFile(`${file}.tmp`, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
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
      `${file} must hold {"keys": [private RSA or P-256 JWK, ...]}; delete it to make new keys`,
    );
  }
  return {
    keys: await Promise.all(
      keys.map(async (key: JWK) => {
        const alg =
          key.kty === 'RSA' ? 'RS256' : key.kty === 'EC' && key.crv === 'P-256' && 'ES256';
        if (!alg || typeof key.d !== 'string') {
          throw new Error(
            `${file}: every key must be a private RSA or P-256 JWK; delete it to make new keys`,
          );
        }
        return { ...key, kid: await calculateJwkThumbprint(key), alg, use: 'sig' };
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
