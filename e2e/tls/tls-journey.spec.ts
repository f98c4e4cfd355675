// The whole journey as it will be deployed: the app, the API and the provider on their own
// hostnames over HTTPS behind nginx (docs/nginx/), the provider on another site than the app.
// Then what a browser gets through the proxy on every location, and that no credential of
// the journey reached any log (servers' and nginx's).
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { findDemoUser } from '../../servers/demo-data.ts';
import { AppPage } from '../pages/app-page.ts';
import { ContactsPage } from '../pages/contacts-page.ts';
import { IdpConsentPage, IdpLoginPage, IdpLogoutPage } from '../pages/idp-pages.ts';
import { logFiles, tlsUrls } from './tls-env.ts';
import { collectWireSecrets, findLeaks, type WireSecrets } from './wire-secrets.ts';

test.describe.configure({ mode: 'serial' });

const user = findDemoUser('alice');
if (!user) throw new Error('no demo user alice');
let secrets: WireSecrets | undefined;

const renewals = (page: Page) => page.locator('.session-log li[data-kind="renewed"]');

test('sign-in with consent, contacts, create/edit/delete, a renewal, sign-out, over https on three hosts', async ({
  page,
  context,
}) => {
  secrets = collectWireSecrets(context);
  const app = new AppPage(page);
  const contacts = new ContactsPage(page);
  const consent = new IdpConsentPage(page);

  await page.goto('/');
  await app.signIn.click();
  await expect(page).toHaveURL(new RegExp(`^${tlsUrls.idp}/`));
  await new IdpLoginPage(page).signIn(user);
  await expect(consent.heading).toBeVisible(); // a fresh provider: consent is asked
  await consent.allow.click();
  await expect(page).toHaveURL(new RegExp(`^${tlsUrls.app}/`));
  await expect(app.identity).toContainText(user.name);

  // The list, through the API's own hostname (DPoP proofs name it in htu).
  await page.goto('/contacts');
  await expect(contacts.heading).toBeVisible();
  await expect(app.alert).toHaveCount(0);

  // Access tokens live a few seconds: the session renews them by itself.
  await expect(renewals(page).first()).toBeAttached({ timeout: 20_000 });

  // Editing is asked for (a second consent), then create, edit, delete.
  await contacts.askForEditing('allow');
  await expect(contacts.newContact).toBeVisible();
  const name = 'Grace Hopper over TLS';
  await contacts.newContact.click();
  await contacts.field('Name *').fill(name);
  await contacts.field('Emails').fill('grace@navy.example');
  await page.getByRole('button', { name: 'Create contact' }).click();
  await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
  await expect(contacts.row(name)).toBeVisible();

  await contacts.row(name).click();
  await page.getByRole('link', { name: 'Edit' }).click();
  await contacts.field('Phones').fill('+1 202 555 0199');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(contacts.detail.getByText('+1 202 555 0199')).toBeVisible();

  await contacts.row(name).click();
  await contacts.deleteOpenContact(name);
  await expect(contacts.row(name)).toHaveCount(0);
  await expect(page).toHaveURL(new RegExp(`^${tlsUrls.app}/contacts$`)); // the server agreed
  await expect(app.alert).toHaveCount(0);

  await app.signOut.click();
  const logout = new IdpLogoutPage(page);
  await expect(logout.heading).toBeVisible();
  await logout.confirm.click();
  await expect(page).toHaveURL(new RegExp(`^${tlsUrls.app}/`));
  await expect(app.signIn).toBeVisible();
});

test('every location answers through the proxy with the security headers', async ({
  context,
  page,
}) => {
  // Each location in a page of its own, closed once its headers are read: signed out, the
  // app on /contacts starts a sign-in, whose redirect would cut into the next navigation.
  const headersOf = async (url: string) => {
    const own = await context.newPage();
    try {
      const response = await own.goto(url);
      expect(response?.status(), url).toBeLessThan(400);
      return (await response?.allHeaders()) ?? {};
    } finally {
      await own.close();
    }
  };
  const hsts = 'max-age=31536000; includeSubDomains';

  // An asset's headers as the page got it (a navigation to it would come from the cache).
  const assetResponse = page.waitForResponse((r) =>
    new URL(r.url()).pathname.startsWith('/assets/'),
  );
  await page.goto('/');
  const asset = await assetResponse;
  const locations: [string, Record<string, string>][] = [
    [new URL(asset.url()).pathname, await asset.allHeaders()],
  ];
  // Each location of the app: pages, the silent-renew page, the runtime config, assets.
  for (const path of ['/', '/contacts', '/callback', '/config.json']) {
    locations.push([path, await headersOf(`${tlsUrls.app}${path}`)]);
  }
  for (const [path, headers] of locations) {
    expect.soft(headers['strict-transport-security'], path).toBe(hsts);
    expect.soft(headers['content-security-policy'], path).toContain("script-src 'self'");
    // Production mode: Trusted Types enforced, not report-only.
    expect
      .soft(headers['content-security-policy'], path)
      .toContain("require-trusted-types-for 'script'");
    expect.soft(headers['content-security-policy-report-only'], path).toBeUndefined();
    expect
      .soft(headers['content-security-policy'], path)
      .toContain(`connect-src 'self' ${tlsUrls.idp}`);
    expect.soft(headers['referrer-policy'], path).toBe('no-referrer');
    expect.soft(headers['x-content-type-options'], path).toBe('nosniff');
    expect.soft(headers['permissions-policy'], path).toContain('camera=()');
    expect.soft(headers['cross-origin-resource-policy'], path).toBe('same-origin');
  }
  // The API's and the provider's hosts carry HSTS too; the API its own headers.
  for (const url of [`${tlsUrls.api}/health`, `${tlsUrls.idp}/.well-known/openid-configuration`]) {
    const headers = await headersOf(url);
    expect.soft(headers['strict-transport-security'], url).toBe(hsts);
    if (url.startsWith(tlsUrls.api)) {
      expect.soft(headers['x-content-type-options'], url).toBe('nosniff');
      expect.soft(headers['referrer-policy'], url).toBe('no-referrer');
    }
  }
  // The API is ready: database up, the provider's keys fetched over https from Node.
  expect(await (await page.goto(`${tlsUrls.api}/ready`))?.json()).toEqual({ status: 'ready' });
});

test("no token, code or proof of the journey is in any server's or nginx's log", () => {
  expect(secrets, 'the journey ran first and recorded what went over the wire').toBeDefined();
  const seen = secrets?.byKind ?? new Map();
  for (const kind of ['code', 'access_token', 'refresh_token', 'id_token', 'dpop proof']) {
    expect(seen.get(kind)?.size ?? 0, `${kind} seen on the wire`).toBeGreaterThan(0);
  }
  const logs = Object.fromEntries(
    Object.entries(logFiles).map(([name, file]) => [name, readFileSync(file, 'utf8')]),
  );

  // Positive controls: the logs hold the journey's requests...
  expect(logs.nginxAccess).toMatch(/"GET \/callback HTTP\/[0-9.]+" 200 /);
  expect(logs.nginxAccess).toMatch(/"POST \/token HTTP\/[0-9.]+" 200 /);
  const entries = (text = '') =>
    text.split('\n').flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return []; // the plain start-up lines
      }
    });
  const logged = (name: string, fields: Record<string, unknown>) =>
    entries(logs[name]).some((entry) =>
      Object.entries(fields).every(([key, value]) =>
        value === String ? typeof entry[key] === 'string' : entry[key] === value,
      ),
    );
  expect(logged('api', { method: 'GET', route: '/contacts', status: 200, sub: String })).toBe(true);
  expect(logged('api', { method: 'POST', route: '/contacts', status: 201 })).toBe(true);
  expect(logged('spa', { method: 'GET', path: '/callback', status: 200 })).toBe(true);
  expect(logged('idp', { method: 'POST', path: '/token', status: 200 })).toBe(true);
  // ...and a token planted in a copy of a log is found.
  const needles = secrets?.needles() ?? [];
  const planted = [...(seen.get('refresh_token') ?? [])][0] ?? '';
  expect(findLeaks({ planted: `${logs.api}\n{"msg":"${planted}"}` }, needles)).not.toEqual([]);

  expect(findLeaks(logs, needles)).toEqual([]);
});
