// Sign-out: ends the session at the IdP too; when the IdP cannot be reached, the app still
// forgets the session and says so.

import { demoUser, e2eEnv, expect, test } from './fixtures.ts';
import { AppPage } from './pages/app-page.ts';
import { expectNoSessionSurvives, sessionsSurviving } from './session-survival.ts';

for (const discovery of ['cached', 'not cached'] as const) {
  test(`signing out while the IdP is unreachable (discovery ${discovery}) still ends the session here, and says so`, async ({
    page,
    app,
    signIn,
    workerUser,
  }) => {
    await signIn(page, workerUser);
    // Tokens live in each tab's memory: a reload of the only tab would sign in again at the
    // IdP. Another open tab hands the session over instead.
    if (discovery === 'not cached') await (await page.context().newPage()).goto('/');
    // From now on the IdP does not answer (revocation, discovery, logout).
    await page.route(`${e2eEnv.idpIssuer}/**`, (route) => route.abort('connectionrefused'));
    if (discovery === 'not cached') {
      // Discovery is cached for the tab; drop it so the logout really needs the IdP.
      await page.evaluate(() => {
        for (const key of Object.keys(sessionStorage).filter((k) =>
          k.startsWith('oidc-contacts.metadata'),
        )) {
          sessionStorage.removeItem(key);
        }
      });
      await page.reload();
    }
    await app.signOut.click();

    // The contacts page's own status lines may still be up for a moment: find the notice by
    // its words, not as the page's only status.
    const notice = page.getByRole('status').filter({ hasText: 'You are signed out of this app.' });
    await expect(notice).toContainText('could not be reached');
    await expect(app.identity).toHaveCount(0);
    await expectNoSessionSurvives(page);
  });
}

/** Planted in a tab before the app loads: it never hears of a sign-out in another tab. */
function dropSignedOutMessages() {
  const listen = BroadcastChannel.prototype.addEventListener;
  BroadcastChannel.prototype.addEventListener = function (
    this: BroadcastChannel,
    ...args: Parameters<typeof listen>
  ) {
    const [type, listener] = args;
    if (type === 'message' && typeof listener === 'function') {
      args[1] = (event: Event) => {
        if ((event as MessageEvent).data?.type !== 'signed-out') listener.call(this, event);
      };
    }
    return listen.apply(this, args);
  };
}

test('the no-session check sees a session that survives: in IndexedDB, in any open tab, in a new tab', async ({
  page,
  app,
  idpLogout,
  signIn,
  workerUser,
}) => {
  // The positive control of expectNoSessionSurvives, which some thirty cases rely on.
  await signIn(page, workerUser);
  const other = await page.context().newPage();
  await other.addInitScript(dropSignedOutMessages);
  await other.goto('/');
  await expect(new AppPage(other).identity).toBeVisible(); // handed over by the first tab
  // A live session: every way of looking finds it (open tabs get 2 s to lose theirs).
  expect(await sessionsSurviving(page, { timeout: 2_000 })).toEqual([
    'IndexedDB: {"active":true,"refreshToken":true}',
    'open tab 0 (/contacts): signed-in',
    'open tab 1 (/): signed-in',
    'new tab: signed-in',
  ]);

  // Signed out in the first tab; the other missed the message and keeps the session in its
  // memory, with nothing left in IndexedDB: seen in that tab only, after it has settled.
  await app.signOut.click();
  await idpLogout.confirm.click();
  await expect(app.signIn).toBeVisible();
  expect(await sessionsSurviving(page, { timeout: 2_000 })).toEqual(['open tab 1 (/): signed-in']);

  // That tab closed, its session is gone with it: nothing survives.
  await other.close();
  await expectNoSessionSurvives(page);
});

test('the account page shows who the user is and what the app may do', async ({
  page,
  signIn,
  workerUser,
}) => {
  const before = Date.now();
  await signIn(page, workerUser);
  await page.getByRole('link', { name: 'Account' }).click();
  const who = page.getByRole('region', { name: 'Who you are' });
  await expect(who).toContainText(workerUser.name);
  await expect(who).toContainText(e2eEnv.idpIssuer);
  await expect(who).toContainText(demoUser(workerUser.username).sub);
  // When the user authenticated (auth_time), in the browser's locale: read back the same way.
  const signedInAt = who
    .locator('dt', { hasText: 'Signed in at' })
    .locator('xpath=./following-sibling::dd[1]');
  await expect(signedInAt).not.toHaveText('not given');
  const shown = await signedInAt.evaluate((dd) => Date.parse(dd.textContent ?? ''));
  expect(shown).toBeGreaterThanOrEqual(before - 2_000); // the IdP stamps whole seconds
  expect(shown).toBeLessThanOrEqual(Date.now() + 2_000);
  const may = page.getByRole('region', { name: 'What this app may do' });
  await expect(may.getByRole('list', { name: 'Granted permissions' })).toHaveText([
    'Read your contacts',
  ]);
  await expect(may).toContainText(/Access expires in\s*\d+ seconds/);
});

test('a deliberate sign-out revokes the refresh token at the provider, once', async ({
  page,
  app,
  idp,
  idpLogout,
  signIn,
  workerUser,
}) => {
  await idp.resetUser(workerUser.username);
  await page.goto('/contacts');
  await signIn(page, workerUser);
  await expect(app.contactNames.first()).toBeVisible();
  // The counters see this user's requests (the code exchange), and no revocation yet.
  expect(await idp.counters(workerUser.username)).toMatchObject({
    codeExchanges: 1,
    revocations: 0,
  });
  await app.signOut.click();
  await idpLogout.confirm.click();
  await expect(app.signIn.first()).toBeVisible();
  expect((await idp.counters(workerUser.username)).revocations).toBe(1);
});
