// The provider-agnostic journey: it runs against the local test IdP and, in external-provider
// mode (e2e/README.md), against any other OpenID Provider, as the configured account.
import { expect, provider, test } from './fixtures.ts';

test('a user signs in, sees their contacts page, and signs out @any-provider', async ({
  page,
  app,
  idpLogout,
  signIn,
  workerUser,
}) => {
  await page.goto('/');
  await signIn(page, workerUser);
  await page.goto('/contacts');
  await expect(app.identity).toContainText(workerUser.name);
  await expect(app.contacts.or(app.alert)).toBeVisible();
  await expect(app.alert).toHaveCount(0);

  if (provider.external) return; // each provider's logout page differs
  await app.signOut.click();
  await expect(idpLogout.heading).toBeVisible();
  await idpLogout.confirm.click();
  await expect(app.signIn).toBeVisible();
});
