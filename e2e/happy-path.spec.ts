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
  // In the app, not a page load: a session without DPoP lives in this tab's memory only.
  await page.getByRole('link', { name: 'Your contacts', exact: true }).click();
  await expect(app.identity).toContainText(workerUser.name);
  // Another provider's account may have no contacts yet.
  await expect(app.contacts.or(app.noContacts).or(app.alert).first()).toBeVisible();
  await expect(app.alert).toHaveCount(0);

  if (provider.external) return; // each provider's logout page differs
  const logoutRequest = page.waitForRequest((request) => {
    const url = new URL(request.url());
    return url.origin === provider.issuer && url.searchParams.has('post_logout_redirect_uri');
  });
  await app.signOut.click();
  // The app names itself by client_id: no ID token in the URL, and none of the sign-in's
  // extra parameters (oidc-client-ts would reuse `resource` unless told otherwise).
  const logout = new URL((await logoutRequest).url());
  expect(logout.searchParams.get('client_id')).toBe(provider.clientId);
  expect(logout.searchParams.has('id_token_hint')).toBe(false);
  expect(logout.searchParams.has('resource')).toBe(false);
  await expect(idpLogout.heading).toBeVisible();
  await idpLogout.confirm.click();
  await expect(app.signIn).toBeVisible();
});
