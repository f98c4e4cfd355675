// Several providers: the user chooses, each provider's sign-in state stays apart, the app
// says which one the user signed in with, and the contacts API keeps users of different
// issuers apart even when their `sub` is the same (both local IdPs seed the same users).

import { expectNoSessionSurvives } from './app-session.ts';
import { e2eEnv, expect, secondIdp, test } from './fixtures.ts';
import { holdAuthorization } from './hold-authorization.ts';

test('signing in with the second provider: same sub, another issuer, other data', async ({
  page,
  app,
  idpLogin,
  idpConsent,
  signIn,
  workerUser,
}) => {
  await page.goto('/');
  await expect(app.signInWith('Local test IdP')).toBeVisible();
  await app.signInWith(secondIdp.label).click();
  await expect(page).toHaveURL(new RegExp(`^${secondIdp.issuer}/`));
  await idpLogin.signIn(workerUser);
  await expect(idpConsent.heading).toBeVisible();
  await idpConsent.allow.click();

  await expect(page).toHaveURL(`${e2eEnv.spaOrigin}/contacts`);
  await expect(app.identity).toContainText(`${workerUser.name} with ${secondIdp.label}`);
  // Nothing was seeded for this issuer: the first IdP's user with the same sub owns the
  // seeded contacts, and the API keys rows by issuer and subject.
  await expect(page.getByText('No contacts yet.')).toBeVisible();

  await page.getByRole('link', { name: 'Account' }).click();
  await expect(page.getByText(secondIdp.issuer, { exact: true })).toBeVisible();

  // Sign out at the second IdP; the choice is remembered as the last one used.
  await app.signOut.click();
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await expect(app.signInWith(secondIdp.label)).toHaveClass(/primary/);

  // The first provider: the same username, its own session, the seeded contacts.
  await signIn(page, workerUser);
  await expect(app.identity).toContainText(`${workerUser.name} with Local test IdP`);
  await expect(app.contactNames.first()).toBeVisible();
});

test('a response from one provider arriving while the tab uses another is refused (mix-up)', async ({
  page,
  app,
  idpLogin,
  workerUser,
}) => {
  // Start at the second IdP but hold the redirect, keeping its authorization URL.
  await page.goto('/');
  const secondAuthorize = await holdAuthorization(page, secondIdp.issuer, () =>
    app.signInWith(secondIdp.label).click(),
  );
  // Then choose the first provider in the same tab (held too): the tab now expects it.
  await holdAuthorization(page, e2eEnv.idpIssuer, () => app.signInWith('Local test IdP').click());

  // The second IdP's sign-in completes and answers to this tab.
  await page.goto(secondAuthorize);
  await idpLogin.signIn(workerUser);
  const allow = page.getByRole('button', { name: 'Allow', exact: true });
  await expect(allow.or(app.alert).first()).toBeVisible();
  if (await allow.isVisible()) await allow.click();

  await expect(app.alert).toContainText(
    'This sign-in response did not come from the expected provider.',
  );
  await expect(app.identity).toHaveCount(0);
  await expectNoSessionSurvives(page);
});
