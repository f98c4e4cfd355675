// Unsaved input outlives the session: when renewal fails for good, the contact form keeps
// what was typed, and signing in again returns to the same page with the same input. Drafts
// belong to the account that typed them and go with a deliberate sign-out.
import type { Page } from '@playwright/test';
import { demoUser, e2eEnv, expect, type TestUser, test } from './fixtures.ts';
import { IdpConsentPage, IdpLoginPage } from './pages/idp-pages.ts';

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

test.beforeEach(async ({ idp, workerUser }) => {
  await idp.resetUser(workerUser.username);
  await idp.setAccessTokenTtl(workerUser.username, 4);
});
test.afterEach(async ({ idp, workerUser }) => {
  await idp.resetUser(workerUser.username);
});

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

test('a draft is never shown to another account', async ({ page, idp, signIn, workerUser }) => {
  const other: TestUser = demoUser(`worker${((Number(workerUser.username.slice(6)) + 3) % 8) + 1}`);
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
