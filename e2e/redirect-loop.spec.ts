// The circuit breaker on automatic sign-in: when every sign-in "succeeds" with a token that
// is already expired (a provider with a broken clock or lifetime), the app would bounce
// between itself and the IdP forever. It must stop after a few trips and explain.
import { e2eEnv, expect, test } from './fixtures.ts';
import { IdpConsentPage, IdpLoginPage } from './pages/idp-pages.ts';

test('a sign-in that keeps bouncing stops after three automatic trips, with an explanation', async ({
  page,
  app,
  workerUser,
}) => {
  // Every token response says the access token has already expired.
  await page.route(`${e2eEnv.idpIssuer}/token`, async (route) => {
    const response = await route.fetch();
    const body = (await response.json()) as Record<string, unknown>;
    await route.fulfill({ response, json: { ...body, expires_in: 0 } });
  });
  const authorizationRequests: string[] = [];
  const apiRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().startsWith(e2eEnv.apiUrl)) apiRequests.push(request.url());
    // Authorization requests proper (/auth?client_id=…), not the IdP's resumes after login.
    if (request.isNavigationRequest() && request.url().startsWith(`${e2eEnv.idpIssuer}/auth?`)) {
      authorizationRequests.push(request.url());
    }
  });

  // A protected page sends the user to sign in; after that, the IdP's session answers alone.
  await page.goto('/contacts');
  await new IdpLoginPage(page).signIn(workerUser);
  const consent = new IdpConsentPage(page);
  const stopped = page.getByRole('heading', { name: 'Sign-in did not complete' });
  await expect(stopped.or(consent.heading).first()).toBeVisible();
  if (await consent.heading.isVisible()) await consent.allow.click();

  await expect(stopped).toBeVisible();
  const problem = page.getByRole('alert', { name: 'Sign-in did not complete' });
  await expect(problem).toContainText('Signing in keeps failing');
  await expect(problem).toContainText('too_many_attempts');
  expect(authorizationRequests.length).toBe(3);
  expect(apiRequests, 'an expired token was sent to the API').toEqual([]);

  // The user's own request starts afresh (the breaker counts only automatic trips).
  await page.unroute(`${e2eEnv.idpIssuer}/token`);
  await page.getByRole('button', { name: 'Try signing in again' }).click();
  await expect(app.identity).toContainText(workerUser.name);
});
