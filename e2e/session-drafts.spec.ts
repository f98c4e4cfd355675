// Unsaved input outlives the session: when renewal fails for good, the contact form keeps
// what was typed, and signing in again returns to the same page with the same input. Drafts
// belong to the account that typed them and go with a deliberate sign-out.
import type { Page } from '@playwright/test';
import { deleteContactViaApi } from './contacts-cleanup.ts';
import { e2eEnv, expect, type TestUser, test } from './fixtures.ts';
import { AppPage } from './pages/app-page.ts';
import { ContactsPage } from './pages/contacts-page.ts';
import { IdpConsentPage, IdpLoginPage } from './pages/idp-pages.ts';
import { shortAccessTokensInEachTest } from './session-helpers.ts';

const tokenEndpoint = `${e2eEnv.idpIssuer}/token`;
const signInAgain = (page: Page) => page.getByRole('button', { name: 'Sign in again' });

async function endSessionByOutage(page: Page) {
  await page.route(tokenEndpoint, (route) => route.abort('connectionrefused'));
  await expect(signInAgain(page)).toBeVisible({ timeout: 15_000 });
  await page.unroute(tokenEndpoint);
}

async function typeDraft(page: Page) {
  await page.getByLabel('Name').fill('Unsaved Ada');
  await page.getByLabel('Notes').fill('typed before the session ended');
}

shortAccessTokensInEachTest(4);

test('the session ends mid-edit: after signing in again, the same page has the same input', async ({
  page,
  signIn,
  workerUser,
}) => {
  await page.goto('/contacts/new');
  await signIn(page, workerUser);
  await expect(page).toHaveURL(/\/contacts\/new$/);
  await typeDraft(page);

  await endSessionByOutage(page);
  // Non-blocking: the form and its input are still there.
  await expect(page.getByLabel('Name')).toHaveValue('Unsaved Ada');

  await signInAgain(page).click();
  await expect(page).toHaveURL(/\/contacts\/new$/);
  await expect(page.getByLabel('Name')).toHaveValue('Unsaved Ada');
  await expect(page.getByLabel('Notes')).toHaveValue('typed before the session ended');
});

test('a refused save keeps the draft; only a save the server confirmed deletes it', async ({
  page,
  api,
  signIn,
  workerUser,
}) => {
  test.slow(); // editing is asked for first: one more trip through the IdP
  const contacts = new ContactsPage(page);
  const contactsUrl = `${e2eEnv.apiUrl}/contacts`;
  await page.goto('/contacts');
  await signIn(page, workerUser);
  await contacts.openWithEditing('/contacts/new');
  await typeDraft(page);
  // The API refuses the write (an outage of the API, not of the IdP).
  await page.route(contactsUrl, (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({
          status: 500,
          contentType: 'application/problem+json',
          json: { type: 'about:blank', title: 'Internal Server Error', status: 500 },
        })
      : route.fallback(),
  );
  await page.getByRole('button', { name: 'Create contact' }).click();
  await expect(page.getByRole('alert')).toContainText('The contact was not created');

  // A reload starts the page from nothing: only the kept draft can bring the input back.
  await page.reload();
  await expect(page.getByLabel('Name')).toHaveValue('Unsaved Ada');
  await expect(page.getByLabel('Notes')).toHaveValue('typed before the session ended');

  await page.unroute(contactsUrl);
  await page.getByRole('button', { name: 'Create contact' }).click();
  await expect(page).toHaveURL(/\/contacts\/(?!new)[^/?]+$/);
  const createdId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2] ?? '');
  try {
    await page.goto('/contacts/new');
    await expect(page.getByLabel('Name')).toHaveValue('');
  } finally {
    await deleteContactViaApi(await api(workerUser), createdId);
  }
});

test('a draft is never shown to another account', async ({
  page,
  idp,
  signIn,
  workerUser,
  ownUser,
}) => {
  const other: TestUser = await ownUser('drafts-other');
  await page.goto('/contacts/new');
  await signIn(page, workerUser);
  await typeDraft(page);
  await endSessionByOutage(page);
  // The IdP session is gone too, so "Sign in again" asks who is signing in.
  await idp.revokeUser(workerUser.username);

  await signInAgain(page).click();
  await new IdpLoginPage(page).signIn(other);
  const consent = new IdpConsentPage(page);
  await expect(consent.heading.or(page.getByLabel('Name')).first()).toBeVisible();
  if (await consent.heading.isVisible()) await consent.allow.click();
  await expect(page).toHaveURL(/\/contacts\/new$/);
  await expect(page.getByText(`Signed in as`)).toContainText(other.name);
  await expect(page.getByLabel('Name')).toHaveValue('');
  await expect(page.getByLabel('Notes')).toHaveValue('');
});

test('a deliberate sign-out deletes the draft', async ({ page, app, signIn, workerUser }) => {
  await page.goto('/contacts/new');
  await signIn(page, workerUser);
  await typeDraft(page);
  await app.signOut.click();
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await expect(app.signIn).toBeVisible();
  expect(
    await page.evaluate(() =>
      Object.keys(sessionStorage).filter((key) => key.startsWith('oidc-contacts.draft')),
    ),
  ).toEqual([]);

  await page.goto('/contacts/new');
  await signIn(page, workerUser);
  await expect(page.getByLabel('Name')).toHaveValue('');
});

test('a sign-out in another tab leaves nothing of the account in this one: no draft, no editing asked for', async ({
  page,
  app,
  signIn,
  workerUser,
}) => {
  test.slow(); // editing is asked for first: one more trip through the IdP
  await page.goto('/contacts');
  await signIn(page, workerUser);
  // The other tab takes the session over, is allowed to edit, and has unsaved input.
  const other = await page.context().newPage();
  await new ContactsPage(other).openWithEditing('/contacts/new');
  await typeDraft(other);

  await app.signOut.click();
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  const otherApp = new AppPage(other);
  await expect(otherApp.signIn).toBeVisible();

  // Signing in again there asks for what the app asks at first, not for editing.
  const authorization = other.waitForRequest((request) =>
    request.url().startsWith(`${e2eEnv.idpIssuer}/auth`),
  );
  await signIn(other, workerUser);
  const scope = new URL((await authorization).url()).searchParams.get('scope') ?? '';
  expect(scope.split(' ')).toContain('contacts:read');
  expect(scope.split(' ')).not.toContain('contacts:write');
  await other.goto('/contacts/new');
  await expect(other.getByLabel('Name')).toHaveValue('');
  await expect(other.getByLabel('Notes')).toHaveValue('');
});
