// The account page: who you are (the validated ID token) beside what the app may do (the
// access token's scopes), with when you authenticated at the provider.
import { expect, test } from './fixtures.ts';

test('the account page says when you signed in at the provider', async ({
  page,
  signIn,
  workerUser,
}) => {
  const before = Date.now();
  await page.goto('/');
  await signIn(page, workerUser);
  await page.goto('/account');
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
  const signedInAt = page
    .locator('dt', { hasText: 'Signed in at' })
    .locator('xpath=./following-sibling::dd[1]');
  await expect(signedInAt).not.toHaveText('not given');
  // Shown in the browser's locale; read back the same way. The IdP stamps whole seconds.
  const shown = await signedInAt.evaluate((dd) => Date.parse(dd.textContent ?? ''));
  expect(shown).toBeGreaterThanOrEqual(before - 2_000);
  expect(shown).toBeLessThanOrEqual(Date.now() + 2_000);
  await expect(page.getByRole('list', { name: 'Granted permissions' })).toContainText(
    'Read your contacts',
  );
});
