// The tokens a browser context was last issued by each provider, as specs need them to
// check what the IdP handed out or to call the API directly. The app keeps its tokens in
// each tab's memory (src/session/storage-policy.ts), where no test can read them, so they
// are taken from the token responses on the wire instead (the reader shared with the leak
// guard, token-responses.ts). Tests look; the app never shows it.
import type { BrowserContext, Page } from '@playwright/test';
import { decodeJwt } from 'jose';
import { e2eEnv } from './e2e-env.ts';
import { TokenResponses } from './token-responses.ts';

export interface StoredUser {
  id_token?: string;
  access_token?: string;
  refresh_token?: string;
  scope?: string;
  profile?: Record<string, unknown>;
}

const issued = new WeakMap<BrowserContext, Map<string, StoredUser>>();

/** Starts recording the context's token responses (idempotent; sign-in helpers call it). */
export function trackIssuedTokens(context: BrowserContext): void {
  if (issued.has(context)) return;
  const byIssuer = new Map<string, StoredUser>();
  issued.set(context, byIssuer);
  TokenResponses.of(context).onResponse(({ url, body }) => {
    if (!url.pathname.endsWith('/token') || typeof body.access_token !== 'string') return;
    const text = (key: string) => (typeof body[key] === 'string' ? body[key] : undefined);
    // A refresh response has no ID token: the one from sign-in stays (as in the app).
    const previous = byIssuer.get(url.origin) ?? {};
    const idToken = text('id_token') ?? previous.id_token;
    byIssuer.set(url.origin, {
      access_token: body.access_token,
      refresh_token: text('refresh_token') ?? previous.refresh_token,
      id_token: idToken,
      scope: text('scope') ?? previous.scope,
      profile: idToken ? (decodeJwt(idToken) as Record<string, unknown>) : undefined,
    });
  });
}

/**
 * The tokens last issued to the page's context by `issuer` (default: the local IdP), once
 * every token response the context got until now has been read.
 */
export async function storedUser(
  page: Page,
  { issuer = e2eEnv.idpIssuer }: { issuer?: string; clientId?: string } = {},
): Promise<StoredUser | null> {
  const byIssuer = issued.get(page.context());
  if (!byIssuer) return null;
  await TokenResponses.of(page.context()).settled();
  return byIssuer.get(new URL(issuer).origin) ?? null;
}

/**
 * What is left of a session that should not exist, as someone at this browser could find
 * it: the session records the app keeps in IndexedDB (a persisted refresh token, or an
 * `active` flag that makes a new tab ask for one). Web storage never holds tokens at all.
 */
export function leftoverSessionRecords(
  page: Page,
): Promise<{ active: boolean; refreshToken: boolean }[]> {
  return page.evaluate(async () => {
    const names = (await indexedDB.databases()).map((db) => db.name);
    if (!names.includes('oidc-contacts-session')) return [];
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('oidc-contacts-session');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      if (!db.objectStoreNames.contains('session')) return [];
      const records = await new Promise<Record<string, unknown>[]>((resolve, reject) => {
        const request = db.transaction('session').objectStore('session').getAll();
        request.onsuccess = () => resolve(request.result as Record<string, unknown>[]);
        request.onerror = () => reject(request.error);
      });
      return records
        .map((record) => ({
          active: record.active === true,
          refreshToken: String(record.persisted ?? '').includes('refresh_token'),
        }))
        .filter((record) => record.active || record.refreshToken);
    } finally {
      db.close();
    }
  });
}
