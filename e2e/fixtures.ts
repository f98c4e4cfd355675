// Fixtures QA can reuse: page objects for the app and the test IdP, a sign-in helper for
// the seeded users, and an automatic guard that fails any test in which a token shows up
// in a URL, the console or the rendered page.
import { test as base, expect, type Page } from '@playwright/test';
import { type DemoUser, demoUsers } from '../servers/demo-data.ts';
import { e2eEnv } from './e2e-env.ts';
import { AppPage } from './pages/app-page.ts';
import { IdpConsentPage, IdpLoginPage, IdpLogoutPage } from './pages/idp-pages.ts';

export { e2eEnv, expect };

export function demoUser(username: string): DemoUser {
  const user = demoUsers.find((candidate) => candidate.username === username);
  if (!user) throw new Error(`no seeded user "${username}"`);
  return user;
}

interface Fixtures {
  app: AppPage;
  idpLogin: IdpLoginPage;
  idpConsent: IdpConsentPage;
  idpLogout: IdpLogoutPage;
  /** From the signed-out home page: sign in at the IdP as `user` and allow the request. */
  signIn: (user: DemoUser) => Promise<void>;
  tokenLeakGuard: undefined;
}

export const test = base.extend<Fixtures>({
  app: async ({ page }, use) => use(new AppPage(page)),
  idpLogin: async ({ page }, use) => use(new IdpLoginPage(page)),
  idpConsent: async ({ page }, use) => use(new IdpConsentPage(page)),
  idpLogout: async ({ page }, use) => use(new IdpLogoutPage(page)),

  signIn: async ({ page, app, idpLogin, idpConsent }, use) => {
    await use(async (user) => {
      await app.signIn.click();
      await idpLogin.signIn(user);
      await expect(idpConsent.heading).toBeVisible();
      await idpConsent.allow.click();
      await expect(app.identity).toContainText(user.name);
      await expect(page).toHaveURL(new RegExp(`^${e2eEnv.spaOrigin}/`));
    });
  },

  tokenLeakGuard: [
    async ({ context }, use) => {
      const tokens = new Set<string>();
      const urls: string[] = [];
      const consoleLines: string[] = [];
      const pages: Page[] = [];
      const watch = (page: Page) => {
        pages.push(page);
        page.on('console', (message) => consoleLines.push(message.text()));
        page.on('request', (request) => urls.push(request.url()));
        page.on('response', async (response) => {
          if (
            !response.url().startsWith(`${e2eEnv.idpIssuer}/token`) ||
            response.request().method() !== 'POST'
          )
            return;
          try {
            const body = (await response.json()) as Record<string, unknown>;
            for (const key of ['access_token', 'id_token', 'refresh_token']) {
              if (typeof body[key] === 'string') tokens.add(body[key]);
            }
          } catch {
            // not a token response
          }
        });
      };
      context.pages().forEach(watch);
      context.on('page', watch);
      await use(undefined);
      for (const token of tokens) {
        const fragment = token.slice(-24);
        expect(
          urls.filter((url) => url.includes(fragment)),
          'a token appeared in a URL',
        ).toEqual([]);
        expect(
          consoleLines.filter((line) => line.includes(fragment)),
          'a token appeared in the console',
        ).toEqual([]);
        for (const page of pages.filter((p) => !p.isClosed())) {
          const text =
            (await page
              .locator('body')
              .textContent()
              .catch(() => '')) ?? '';
          expect(text.includes(fragment), 'a token was rendered on the page').toBe(false);
        }
      }
    },
    { auto: true },
  ],
});
