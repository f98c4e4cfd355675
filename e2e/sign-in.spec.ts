import { demoContacts, demoUsers } from '../servers/demo-data.ts';
import { demoUser, e2eEnv, expect, test } from './fixtures.ts';
import { AppPage } from './pages/app-page.ts';
import { expectNoSessionSurvives } from './session-survival.ts';

const spa = e2eEnv.spaOrigin;
const sortedNames = (username: string) =>
  (demoContacts[username] ?? []).map((contact) => contact.name).sort((a, b) => a.localeCompare(b));

// alice and bob are used by these two journeys only, so resetting their consent is safe.
for (const user of [demoUser('alice'), demoUser('bob')]) {
  test(`${user.username} signs in at the IdP, consents, sees only their contacts and signs out everywhere`, async ({
    page,
    app,
    idp,
    idpLogin,
    idpConsent,
    idpLogout,
  }) => {
    await idp.revokeConsent(user.username); // remembered from an earlier run of this journey
    await page.goto('/');
    await app.signIn.click();

    await expect(page).toHaveURL(new RegExp(`^${e2eEnv.idpIssuer}/`));
    await idpLogin.signIn(user);

    await expect(idpConsent.heading).toBeVisible();
    for (const item of ['See your name', 'See your email address', 'Read your contacts']) {
      await expect(idpConsent.requested.filter({ hasText: item })).toBeVisible();
    }
    // Least privilege: the app asks only to read.
    await expect(
      idpConsent.requested.filter({ hasText: 'Create, edit and delete your contacts' }),
    ).toHaveCount(0);
    await idpConsent.allow.click();

    await expect(page).toHaveURL(`${spa}/contacts`);
    await expect(app.identity).toContainText(user.name);
    await expect(app.contactNames).toHaveText(sortedNames(user.username));
    for (const other of demoUsers.filter((candidate) => candidate !== user)) {
      for (const name of sortedNames(other.username)) {
        await expect(page.getByText(name)).toHaveCount(0);
      }
    }

    await app.signOut.click();
    await expect(idpLogout.heading).toBeVisible();
    await idpLogout.confirm.click();
    await expect(page).toHaveURL(`${spa}/`);
    await expect(app.signIn).toBeVisible();
    await expect(app.identity).toHaveCount(0);

    // The IdP session ended too: a protected page asks for the password again.
    await page.goto('/contacts');
    await expect(idpLogin.heading).toBeVisible();
  });
}

test('a protected URL opened while signed out comes back to that URL after sign-in', async ({
  page,
  app,
  signIn,
  workerUser,
}) => {
  await page.goto('/contacts?view=deep-link#top');
  await expect(page).toHaveURL(new RegExp(`^${e2eEnv.idpIssuer}/`));
  await signIn(page, workerUser);
  await expect(page).toHaveURL(`${spa}/contacts?view=deep-link#top`);
  await expect(app.contactNames.first()).toHaveText(sortedNames(workerUser.username)[0] ?? '');
});

test('a wrong password is refused at the IdP and nothing reaches the app', async ({
  page,
  app,
  idpLogin,
}) => {
  await page.goto('/');
  await app.signIn.click();
  await idpLogin.signIn({ username: 'alice', password: 'not-her-password' });
  await expect(idpLogin.error).toHaveText('Wrong username or password.');
  await expect(idpLogin.username).toHaveValue('alice');
  await expect(page).toHaveURL(new RegExp(`^${e2eEnv.idpIssuer}/`));
});

test('denying consent returns to the app signed out, with a plain explanation', async ({
  page,
  app,
  idp,
  idpLogin,
  idpConsent,
  signIn,
  workerUser,
}) => {
  await idp.revokeConsent(workerUser.username);
  await signIn(page, workerUser, { consent: 'deny' });

  await expect(app.alert).toContainText('You chose not to allow access, so you are not signed in.');
  await expect(app.alert).toContainText('access_denied');
  await expect(page).toHaveURL(`${spa}/callback`);
  await expect(app.identity).toHaveCount(0);
  await expectNoSessionSurvives(page);

  // Trying again starts a fresh sign-in.
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(idpLogin.heading.or(idpConsent.heading)).toBeVisible();
});

test('opening the callback page again after sign-in sends no second token request', async ({
  page,
  app,
  signIn,
  workerUser,
}) => {
  await page.goto('/');
  await signIn(page, workerUser);
  await expect(page).not.toHaveURL(/[?&#](code|state)=/);
  const tokenRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().startsWith(`${e2eEnv.idpIssuer}/token`)) tokenRequests.push(request.url());
  });
  // Tokens live in tab memory: another open tab hands the session to the reloaded one, once
  // it holds the session itself.
  const other = await page.context().newPage();
  await other.goto('/');
  await expect(new AppPage(other).identity).toContainText(workerUser.name);
  await page.goto('/callback');
  await expect(app.alert).toContainText('There is no sign-in to finish here.');
  await expect(app.identity).toContainText(workerUser.name);
  expect(tokenRequests).toEqual([]);
});

/** The list's first-page requests (no cursor) this page makes to the contacts API. */
function countFirstPageRequests(page: import('@playwright/test').Page): { count: number } {
  const seen = { count: 0 };
  page.on('request', (request) => {
    const url = new URL(request.url());
    const isList = `${url.origin}${url.pathname}` === `${e2eEnv.apiUrl}/contacts`;
    if (isList && request.method() === 'GET' && !url.searchParams.has('cursor')) seen.count += 1;
  });
  return seen;
}

test('back from the provider at the list, its first page is asked for once', async ({
  page,
  app,
  signIn,
  workerUser,
}) => {
  // The request leaves as the sign-in is handled; the list route takes it, asks no second.
  const firstPages = countFirstPageRequests(page);
  await page.goto('/contacts');
  await signIn(page, workerUser);
  await expect(app.contactNames.first()).toHaveText(sortedNames(workerUser.username)[0] ?? '');
  expect(firstPages.count).toBe(1);
});

test('back from the provider at a page without the list, no contacts are fetched', async ({
  page,
  signIn,
  workerUser,
}) => {
  const firstPages = countFirstPageRequests(page);
  await page.goto('/account');
  await signIn(page, workerUser);
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
  expect(firstPages.count).toBe(0);
});
