// The page itself: a strict CSP on every page the SPA serves, enforced (injected script
// does not run, and the violation reaches the SPA server's report endpoint); nobody else
// may frame the app or the IdP's pages; and what the browser keeps holds no token usable
// outside the app, and nothing at all after sign-out.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { storedUser } from './app-session.ts';
import { e2eEnv, expect, test } from './fixtures.ts';
import { holdAuthorization } from './hold-authorization.ts';

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

type Framing = 'rendered' | 'refused';

/**
 * The other site: a real server on 127.0.0.1 whose page frames `?src`. IMPORTANT: loopback,
 * like the app. A page on a public origin (a `page.route` one included) may not frame
 * localhost at all under Chromium's local-network rules, so every framing looked refused
 * whatever the app's headers said.
 */
const attacker = { origin: '', server: undefined as Server | undefined };
const attribute = (text: string) => text.replaceAll('&', '&amp;').replaceAll('"', '&quot;');

/**
 * Opens a page on another origin that frames `url` and says what the frame shows: the page
 * itself ('rendered') or the browser's refusal ('refused'). Anything else throws: an answer
 * must come from what was seen. `withoutFramingHeaders`: every document the frame loads
 * comes without its CSP, X-Frame-Options and CORP (the positive control: a page that may be
 * framed is seen framed).
 */
async function framedFromElsewhere(
  page: Page,
  url: string,
  { withoutFramingHeaders = false } = {},
): Promise<Framing> {
  if (withoutFramingHeaders) {
    await page.route('**/*', async (route) => {
      const request = route.request();
      if (!request.isNavigationRequest() || request.frame() === page.mainFrame()) {
        return route.fallback();
      }
      // Redirects followed here: the frame gets the final page (the IdP's login page).
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers['content-security-policy'];
      delete headers['x-frame-options'];
      delete headers['cross-origin-resource-policy'];
      return route.fulfill({ response, headers });
    });
  }
  await page.goto(`${attacker.origin}/?src=${encodeURIComponent(url)}`);
  await expect(page).toHaveTitle('loaded');
  await page.unrouteAll();
  const frames = page.frames().filter((frame) => frame !== page.mainFrame());
  expect(frames).toHaveLength(1);
  const [frame] = frames;
  if (!frame) throw new Error('no frame');
  // Chromium puts its own error page in a frame it refuses (frame-ancestors, X-Frame-Options).
  if (frame.url().startsWith('chrome-error://')) return 'refused';
  if (new URL(frame.url()).origin !== new URL(url).origin) {
    throw new Error(`the frame shows ${frame.url()}, neither ${url} nor a refusal`);
  }
  await expect(frame.locator('body > *').first()).toBeAttached();
  return 'rendered';
}

test.describe('framing from another origin fails', () => {
  test.beforeAll(async () => {
    attacker.server = createServer((request, response) => {
      const src = new URL(request.url ?? '/', 'http://attacker').searchParams.get('src') ?? '';
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(`<iframe src="${attribute(src)}" onload="document.title='loaded'"></iframe>`);
    });
    await new Promise<void>((resolve) => attacker.server?.listen(0, '127.0.0.1', resolve));
    attacker.origin = `http://127.0.0.1:${(attacker.server.address() as AddressInfo).port}`;
  });
  test.afterAll(() => attacker.server?.close());

  for (const path of ['/', '/contacts', '/callback']) {
    test(`the app at ${path}`, async ({ page }) => {
      const url = `${e2eEnv.spaOrigin}${path}`;
      expect(await framedFromElsewhere(page, url, { withoutFramingHeaders: true })).toBe(
        'rendered',
      );
      expect(await framedFromElsewhere(page, url)).toBe('refused');
    });
  }

  test("the IdP's login page", async ({ page, app }) => {
    await page.goto('/');
    const authorize = await holdAuthorization(page, e2eEnv.idpIssuer, () => app.signIn.click());
    expect(await framedFromElsewhere(page, authorize, { withoutFramingHeaders: true })).toBe(
      'rendered',
    );
    expect(await framedFromElsewhere(page, authorize)).toBe('refused');
    // The same URL opened directly is the real login page.
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

const JWT = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/;

/** The URLs of every entry of the tab's session history (what Back and Forward reopen). */
async function historyUrls(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { entries } = await cdp.send('Page.getNavigationHistory');
    return entries.map((entry) => entry.url);
  } finally {
    await cdp.detach();
  }
}

test('after sign-in nothing stored is a bearer token; after sign-out nothing is left', async ({
  page,
  app,
  idpLogout,
  signIn,
  workerUser,
}) => {
  // The code and state the provider sends back, as the browser saw them.
  let callback: URL | undefined;
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (
      request.isNavigationRequest() &&
      url.pathname === '/callback' &&
      url.searchParams.has('code')
    ) {
      callback = url;
    }
  });
  await page.goto('/contacts');
  await signIn(page, workerUser);
  await expect(app.contactNames.first()).toBeVisible();
  const { access_token: accessToken = '', refresh_token: refreshToken = '' } =
    (await storedUser(page)) ?? {};
  expect(accessToken).not.toBe('');
  // DPoP-bound: a refresh token is issued, and kept across reloads (the control below).
  expect(refreshToken).not.toBe('');

  const signedIn = await everythingStored(page);
  // The access token stays in memory; a refresh token may persist only because it is bound
  // to the key (security-stolen-tokens.spec.ts shows a copy is useless).
  // What the sign-out checks below look for is seen while signed in (positive controls).
  expect(signedIn).toContain(refreshToken.slice(-16));
  expect(signedIn).toMatch(JWT); // the kept ID token
  expect(signedIn).toContain('"privateKey"'); // the DPoP key pair's record
  expect(signedIn).not.toContain(accessToken.slice(-24));

  // The DPoP private key cannot be taken out of the browser; its public half can (control).
  const dpopKeys = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('oidc');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const records = await new Promise<{ keys: CryptoKeyPair }[]>((resolve, reject) => {
      const all = db.transaction('dpop').objectStore('dpop').getAll();
      all.onsuccess = () => resolve(all.result);
      all.onerror = () => reject(all.error);
    });
    db.close();
    const exported = (key: CryptoKey) =>
      crypto.subtle.exportKey('jwk', key).then(
        () => 'exported',
        (error: DOMException) => error.name,
      );
    return Promise.all(
      records.map(async ({ keys }) => ({
        extractable: keys.privateKey.extractable,
        privateKey: await exported(keys.privateKey),
        publicKey: await exported(keys.publicKey),
      })),
    );
  });
  expect(dpopKeys.length).toBeGreaterThan(0);
  for (const key of dpopKeys) {
    expect(key).toEqual({
      extractable: false,
      privateKey: 'InvalidAccessError',
      publicKey: 'exported',
    });
  }

  // No history entry keeps the code or the state: Back never reopens the callback with them.
  const code = callback?.searchParams.get('code') ?? '';
  const state = callback?.searchParams.get('state') ?? '';
  expect(code).not.toBe('');
  expect(state).not.toBe('');
  const entries = await historyUrls(page);
  expect(entries.some((url) => url.startsWith(`${e2eEnv.spaOrigin}/contacts`))).toBe(true);
  for (const url of entries) {
    expect(url).not.toContain(code);
    expect(url).not.toContain(state);
  }
  expect(page.url()).not.toMatch(/code=|access_token|state=/);
  // Positive control: an entry whose URL was rewritten in place is read as rewritten.
  const current = page.url();
  await page.evaluate(
    (probe) => history.replaceState(history.state, '', probe),
    `${current}#${code}`,
  );
  expect((await historyUrls(page)).join(' ')).toContain(code);
  await page.evaluate((url) => history.replaceState(history.state, '', url), current);

  await app.signOut.click();
  await idpLogout.confirm.click();
  await expect(app.signIn.first()).toBeVisible();
  const signedOut = await everythingStored(page);
  expect(signedOut).not.toContain(accessToken.slice(-24));
  expect(signedOut).not.toContain(refreshToken.slice(-16));
  expect(signedOut).not.toMatch(JWT); // no JWT of any kind
  expect(signedOut).not.toContain('"privateKey"'); // the DPoP key went with the session
});
