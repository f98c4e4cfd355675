// The test IdP's per-user controls, proved through the browser: each fault is served (the
// IdP's counters and log say so), reaches the app, and leaves another user's concurrent
// sign-in alone. Each worker uses its own users, so these run in parallel.
import type { Browser, Page } from '@playwright/test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { demoContacts } from '../servers/demo-data.ts';
import { storedUser as readStoredUser } from './app-session.ts';
import { e2eEnv, expect, type OwnUserMaker, type TestUser, test } from './fixtures.ts';
import { AppPage } from './pages/app-page.ts';
import { rewriteConfig } from './runtime-config.ts';
import { attemptSignIn, signInThroughPages } from './sign-in-flow.ts';

const storedUser = async (page: Page) => (await readStoredUser(page)) ?? {};

/** Another user signs in, in a browser context of their own, while the fault is armed. */
async function bystanderSignsIn(browser: Browser, user: TestUser) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await signInThroughPages(page, user);
    return await storedUser(page);
  } finally {
    await context.close();
  }
}

// A second user of this worker's own, for "another user is unaffected", at any worker count.
const bystander = (ownUser: OwnUserMaker) => ownUser('controls-bystander');

test.beforeEach(async ({ idp, workerUser }) => {
  await idp.resetUser(workerUser.username);
});

test.describe('consent', () => {
  test('optional scopes can be unticked, the choice is remembered, and revoking asks again', async ({
    page,
    browser,
    idp,
    signIn,
    workerUser,
  }) => {
    test.slow(); // three full sign-ins (each now also makes a DPoP key): 30 s is tight under CI load
    await idp.revokeConsent(workerUser.username);
    await signIn(page, workerUser, { consent: 'allow', untick: ['See your email address'] });
    const { profile } = await storedUser(page);
    expect(profile?.name).toBe(workerUser.name);
    expect(profile).not.toHaveProperty('email');

    const again = await browser.newContext();
    try {
      await signInThroughPages(await again.newPage(), workerUser, { consent: 'expect-none' });
    } finally {
      await again.close();
    }

    await idp.revokeConsent(workerUser.username);
    const third = await browser.newContext();
    try {
      await signInThroughPages(await third.newPage(), workerUser, { consent: 'allow' });
    } finally {
      await third.close();
    }
  });
});

test('a disabled account is refused on the login page', async ({ page, app, idpLogin, users }) => {
  await page.goto('/');
  await app.signIn.click();
  await idpLogin.signIn(users.dora!);
  await expect(idpLogin.error).toHaveText('This account is disabled.');
  await expect(page).toHaveURL(new RegExp(`^${e2eEnv.idpIssuer}/`));
});

test('unusual claims: a non-ASCII name and no email', async ({ page, signIn, users }) => {
  const zoe = users.zoe!;
  await signIn(page, zoe);
  const { profile } = await storedUser(page);
  expect(profile?.name).toBe('Zoë Ñúñez-Øberg 李');
  expect(profile).not.toHaveProperty('email');
});

test.describe('token endpoint faults reach the app', () => {
  const cases = [
    { kind: '503', shown: 'temporarily_unavailable' },
    { kind: 'oauth_error', error: 'invalid_grant', shown: 'invalid_grant' },
    { kind: 'drop', shown: 'The identity provider could not be reached.' },
  ] as const;
  for (const fault of cases) {
    test(`${fault.kind}${'error' in fault ? ` ${fault.error}` : ''} on the code exchange`, async ({
      page,
      browser,
      app,
      idp,
      workerUser,
      ownUser,
    }) => {
      const { kind } = fault;
      const other = await bystander(ownUser);
      await idp.failTokenEndpoint(workerUser.username, {
        kind,
        ...('error' in fault ? { error: fault.error } : {}),
      });
      await page.goto('/');
      await app.signIn.click();
      await page.getByLabel('Username').fill(workerUser.username);
      await page.getByLabel('Password').fill(workerUser.password);
      // The bystander signs in while the fault is armed: it must not touch them.
      const [otherTokens] = await Promise.all([
        bystanderSignsIn(browser, other),
        page.getByRole('button', { name: 'Sign in' }).click(),
      ]);
      expect(otherTokens.access_token).toBeTruthy();
      // Consent is remembered unless an earlier spec of this worker revoked it.
      const allow = page.getByRole('button', { name: 'Allow', exact: true });
      await expect(app.alert.or(allow).first()).toBeVisible();
      if (await allow.isVisible()) await allow.click();
      await expect(app.alert).toContainText(fault.shown);
      expect(await idp.counters(workerUser.username)).toMatchObject({
        faultsServed: 1,
        codeExchanges: 0,
      });
    });
  }

  test('slow: the sign-in still completes', async ({ page, idp, signIn, workerUser }) => {
    await idp.failTokenEndpoint(workerUser.username, { kind: 'slow', delayMs: 1500 });
    await signIn(page, workerUser);
    const log = await idp.log(workerUser.username);
    expect(log.map((entry) => entry.event)).toContain('fault:token-endpoint:slow');
    expect(await idp.counters(workerUser.username)).toMatchObject({ codeExchanges: 1 });
  });
});

test.describe('authorization response faults reach the app', () => {
  const cases = [
    { kind: 'wrong-state', shown: 'This sign-in response is not one this browser asked for' },
    { kind: 'missing-state', shown: 'Sign-in did not complete' },
    { kind: 'error', error: 'temporarily_unavailable', shown: 'temporarily_unavailable' },
  ] as const;
  for (const fault of cases) {
    test(fault.kind, async ({ page, idp, app, workerUser }) => {
      await idp.nextAuthorizationResponse(workerUser.username, fault.kind, {
        ...('error' in fault ? { error: fault.error } : {}),
      });
      await attemptSignIn(page, workerUser);
      await expect(app.alert).toContainText(fault.shown);
      expect(await idp.counters(workerUser.username)).toMatchObject({
        faultsServed: 1,
        codeExchanges: 0,
      });
    });
  }

  for (const kind of ['wrong-iss', 'missing-iss', 'missing-code'] as const) {
    test(`${kind}: the browser receives the altered response`, async ({
      page,
      idp,
      workerUser,
    }) => {
      const callbacks: URL[] = [];
      page.on('request', (request) => {
        if (request.url().startsWith(`${e2eEnv.spaOrigin}/callback?`)) {
          callbacks.push(new URL(request.url()));
        }
      });
      await idp.nextAuthorizationResponse(workerUser.username, kind);
      await attemptSignIn(page, workerUser); // how the app reacts belongs to the sign-in issue
      await expect.poll(() => callbacks.length).toBe(1);
      const params = callbacks[0]!.searchParams;
      if (kind === 'wrong-iss') expect(params.get('iss')).toBe('https://wrong-issuer.example');
      else if (kind === 'missing-iss') expect(params.has('iss')).toBe(false);
      else expect(params.has('code')).toBe(false);
      expect(await idp.counters(workerUser.username)).toMatchObject({ faultsServed: 1 });
    });
  }
});

test.describe('bad ID tokens are served to one user only', () => {
  const cases = [
    ['wrong-iss', (t: string) => expect(decodeJwt(t).iss).toBe('https://wrong-issuer.example')],
    ['expired', (t: string) => expect(decodeJwt(t).exp).toBeLessThan(Date.now() / 1000 - 300)],
    ['alg-none', (t: string) => expect(decodeProtectedHeader(t).alg).toBe('none')],
    ['unknown-kid', (t: string) => expect(decodeProtectedHeader(t).kid).toMatch(/^unknown-/)],
  ] as const;
  for (const [kind, check] of cases) {
    // The app does not validate ID tokens yet (src/auth is adding it): assert the IdP's side.
    test(kind, async ({ page, browser, idp, workerUser, ownUser }) => {
      const bystanderUser = await bystander(ownUser);
      await idp.nextIdToken(workerUser.username, kind);
      const [other] = await Promise.all([
        bystanderSignsIn(browser, bystanderUser),
        attemptSignIn(page, workerUser),
      ]);
      const log = await idp.log(workerUser.username);
      expect(log.map((entry) => entry.event)).toContain(`fault:id-token:${kind}`);
      const mine = await storedUser(page).catch(() => ({ id_token: undefined }));
      if (mine.id_token) check(mine.id_token);
      // The bystander's ID token is the real one.
      expect(decodeJwt(other.id_token ?? '').iss).toBe(e2eEnv.idpIssuer);
      expect(decodeProtectedHeader(other.id_token ?? '').alg).toBe('RS256');
    });
  }

  test('different-sub on the next refresh, which the IdP counts', async ({
    page,
    idp,
    signIn,
    workerUser,
  }) => {
    // Armed first: 'different-sub' waits for a refresh_token response, never the code exchange.
    await idp.nextIdToken(workerUser.username, 'different-sub');
    await page.clock.install();
    await signIn(page, workerUser);
    expect(await idp.counters(workerUser.username)).toMatchObject({ faultsServed: 0 });
    // Past the renew margin of the 120 s access token: the app refreshes.
    await page.clock.fastForward(110_000);
    await expect.poll(async () => (await idp.counters(workerUser.username)).faultsServed).toBe(1);
    const { refreshes } = await idp.counters(workerUser.username);
    expect(refreshes).toBeGreaterThanOrEqual(1);
    const log = await idp.log(workerUser.username);
    expect(log.find((e) => e.event === 'fault:id-token:different-sub')?.detail).toBe(
      'refresh_token',
    );
  });
});

test('revoking a user ends their IdP session and grants', async ({
  page,
  idp,
  signIn,
  workerUser,
  idpLogin,
}) => {
  await signIn(page, workerUser);
  const revoked = await idp.revokeUser(workerUser.username);
  expect(revoked.sessions).toBeGreaterThanOrEqual(1);
  expect(revoked.grants).toBeGreaterThanOrEqual(1);
  // A fresh tab of the app must ask for the password again: the IdP session is gone.
  await page.evaluate(() => sessionStorage.clear());
  await page.goto('/contacts');
  await expect(idpLogin.heading).toBeVisible();
  expect((await idp.counters(workerUser.username)).revocations).toBeGreaterThanOrEqual(1);
});

test('the api fixture reaches the contacts API as the user', async ({ api, workerUser }) => {
  const contacts = await (await api(workerUser)).listContacts();
  expect(contacts.status).toBe(200);
  expect(contacts.body.items.map((c) => c.name)).toEqual(
    expect.arrayContaining([(demoContacts[workerUser.username] ?? [])[0]?.name]),
  );
});

test('the ES256 client gets ES256-signed ID tokens', async ({ page, signIn, workerUser }) => {
  await rewriteConfig(page, (config) => {
    const [local, ...others] = config.providers;
    return { ...config, providers: [{ ...local, clientId: 'contacts-spa-es256' }, ...others] };
  });
  await signIn(page, workerUser);
  const idToken = (await readStoredUser(page, { clientId: 'contacts-spa-es256' }))?.id_token ?? '';
  expect(decodeProtectedHeader(idToken).alg).toBe('ES256');
  await expect(new AppPage(page).identity).toContainText(workerUser.name);
});
