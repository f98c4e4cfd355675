// The page itself: a strict CSP on every page the SPA serves, enforced (injected script
// does not run, and the violation reaches the SPA server's report endpoint); nobody else
// may frame the app or the IdP's pages; and what the browser keeps holds no token usable
// outside the app, and nothing at all after sign-out.
import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { storedUser } from './app-session.ts';
import { e2eEnv, expect, test } from './fixtures.ts';
import { holdAuthorization } from './hold-authorization.ts';

const ATTACKER = 'http://attacker.test';

interface Report {
  directive: string;
  blocked: string;
  page: string;
}
const reportsFor = async (path: string): Promise<Report[]> =>
  ((await (await fetch(`${e2eEnv.spaOrigin}/csp-reports`)).json()) as Report[]).filter(
    (report) => report.page === path,
  );

test.describe('Content Security Policy', () => {
  test('every page carries the strict policy; only /callback may be framed, by the app', async ({
    request,
  }) => {
    for (const path of ['/', '/contacts', '/account', '/callback']) {
      const response = await request.get(`${e2eEnv.spaOrigin}${path}`);
      const csp = response.headers()['content-security-policy'] ?? '';
      for (const directive of [
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        'report-uri /csp-report',
        `connect-src 'self' ${e2eEnv.idpIssuer}`,
      ]) {
        expect(csp, `${path}: ${directive}`).toContain(directive);
      }
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(csp).toContain(
        path === '/callback' ? "frame-ancestors 'self'" : "frame-ancestors 'none'",
      );
      expect(response.headers()['content-security-policy-report-only']).toContain(
        "require-trusted-types-for 'script'",
      );
      expect(response.headers()['referrer-policy']).toBe('no-referrer');
      expect(response.headers()['x-content-type-options']).toBe('nosniff');
      expect(response.headers()['cross-origin-opener-policy']).toBe('same-origin');
    }
  });

  test('an injected inline script does not run, and the violation is reported', async ({
    page,
  }) => {
    const path = `/csp-probe-${randomUUID()}`;
    // Markup injection: the served HTML gains an inline script, as a stored-XSS bug would.
    await page.route(`${e2eEnv.spaOrigin}${path}`, async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace(
        '</head>',
        '<script>window.__injected = true</script></head>',
      );
      await route.fulfill({ response, body: html });
    });
    await page.goto(path);
    await expect(page.locator('#root')).not.toBeEmpty(); // the app itself still runs
    expect(await page.evaluate(() => '__injected' in window)).toBe(false);
    // A script-made HTML sink: the inline handler in it is blocked, and Trusted Types
    // (report-only) reports the sink itself.
    await page.evaluate(() => {
      document.body.insertAdjacentHTML('beforeend', '<img src=x onerror="window.__sink=1">');
    });
    await expect(page.locator('img[src=x]')).toHaveCount(1);
    await expect
      .poll(async () => (await reportsFor(path)).map((r) => `${r.directive} ${r.blocked}`))
      .toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^script-src-elem inline$/),
          expect.stringMatching(/^script-src-attr inline$/),
          expect.stringMatching(/^require-trusted-types-for trusted-types-sink$/),
        ]),
      );
    expect(await page.evaluate(() => '__sink' in window)).toBe(false);
  });

  test('a whole journey raises no CSP or Trusted Types violation', async ({
    page,
    app,
    signIn,
    workerUser,
  }) => {
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|TrustedHTML|TrustedScript/.test(message.text())) {
        violations.push(message.text());
      }
    });
    await page.goto('/contacts');
    await signIn(page, workerUser);
    await expect(app.contactNames.first()).toBeVisible();
    await page.getByRole('link', { name: 'Account' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    expect(violations).toEqual([]);
  });
});

/** Opens a page on another origin that frames `url`; answers whether the app rendered in it. */
async function framedFromElsewhere(page: Page, url: string): Promise<boolean> {
  await page.route(`${ATTACKER}/`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<iframe src="${url}" onload="document.title='loaded'"></iframe>`,
    }),
  );
  await page.goto(`${ATTACKER}/`);
  await expect(page).toHaveTitle('loaded');
  const frame = page.frames()[1];
  if (!frame) return false;
  return frame
    .locator('#root, form, main')
    .count()
    .then((n) => n > 0)
    .catch(() => false);
}

test.describe('framing from another origin fails', () => {
  for (const path of ['/', '/contacts', '/callback']) {
    test(`the app at ${path}`, async ({ page }) => {
      expect(await framedFromElsewhere(page, `${e2eEnv.spaOrigin}${path}`)).toBe(false);
    });
  }

  test("the IdP's login page", async ({ page, app }) => {
    await page.goto('/');
    const authorize = await holdAuthorization(page, e2eEnv.idpIssuer, () => app.signIn.click());
    expect(await framedFromElsewhere(page, authorize)).toBe(false);
    // The same URL opened directly is the real login page (so the check above can fail).
    await page.goto(authorize);
    await expect(page.getByRole('button', { name: /sign in/i })).toBeVisible();
  });
});

/** Everything the page's origin keeps: web storage, cookies and every IndexedDB record. */
async function everythingStored(page: Page): Promise<string> {
  const stored = await page.evaluate(async () => {
    const dump: Record<string, unknown> = {
      local: { ...localStorage },
      session: { ...sessionStorage },
      cookie: document.cookie,
    };
    for (const { name } of await indexedDB.databases()) {
      if (!name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const storeName of db.objectStoreNames) {
        const all = db.transaction(storeName).objectStore(storeName).getAll();
        dump[`${name}/${storeName}`] = await new Promise((resolve) => {
          all.onsuccess = () => resolve(all.result);
        });
      }
      db.close();
    }
    return JSON.stringify(dump);
  });
  const cookies = await page.context().cookies();
  return `${stored} ${JSON.stringify(cookies.filter((c) => c.domain === 'localhost'))}`;
}

test('after sign-in nothing stored is a bearer token; after sign-out nothing is left', async ({
  page,
  app,
  idpLogout,
  signIn,
  workerUser,
}) => {
  await page.goto('/contacts');
  await signIn(page, workerUser);
  await expect(app.contactNames.first()).toBeVisible();
  const { access_token: accessToken = '', refresh_token: refreshToken = '' } =
    (await storedUser(page)) ?? {};
  expect(accessToken).not.toBe('');

  const signedIn = await everythingStored(page);
  // The access token stays in memory; a refresh token may persist only because it is bound
  // to the key (security-stolen-tokens.spec.ts shows a copy is useless).
  expect(signedIn).not.toContain(accessToken.slice(-24));
  expect(await page.evaluate(() => history.length)).toBeGreaterThan(0);
  expect(page.url()).not.toMatch(/code=|access_token|state=/);

  await app.signOut.click();
  await idpLogout.confirm.click();
  await expect(app.signIn.first()).toBeVisible();
  const signedOut = await everythingStored(page);
  expect(signedOut).not.toContain(accessToken.slice(-24));
  if (refreshToken) expect(signedOut).not.toContain(refreshToken.slice(-16));
  expect(signedOut).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/); // no JWT of any kind
  expect(signedOut).not.toContain('"privateKey"'); // the DPoP key went with the session
});
