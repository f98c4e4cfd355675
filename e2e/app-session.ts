// What the app keeps of a session in the tab's sessionStorage (oidc-client-ts's user
// record), read by specs to check what was stored. Tests look; the app never shows it.
import type { Page } from '@playwright/test';
import { e2eEnv } from './e2e-env.ts';

export interface StoredUser {
  id_token?: string;
  access_token?: string;
  refresh_token?: string;
  scope?: string;
  profile?: Record<string, unknown>;
}

/** The stored user for one provider and client (default: the local IdP's SPA client). */
export async function storedUser(
  page: Page,
  { issuer = e2eEnv.idpIssuer, clientId = 'contacts-spa' } = {},
): Promise<StoredUser | null> {
  const raw = await page.evaluate(
    (key) => sessionStorage.getItem(key),
    `oidc.user:${issuer}:${clientId}`,
  );
  return raw === null ? null : (JSON.parse(raw) as StoredUser);
}

/** The keys of every stored user, any provider: empty when nobody is signed in. */
export function storedUserKeys(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Object.keys(sessionStorage).filter((key) => key.startsWith('oidc.user')),
  );
}
