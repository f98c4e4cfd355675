// The signed-out home page paints from the entry and the app's code alone; the auth core and
// the session layer arrive after it. A "Sign in" clicked before then waits for them, and code
// that never arrives gives a plain explanation, not a blank or frozen page.
import type { Route } from '@playwright/test';
import { e2eEnv, expect, test } from './fixtures.ts';
import { AppPage } from './pages/app-page.ts';

const authLayerChunk = '**/assets/auth-{core,layer}-*.js';
const appChunk = '**/assets/app-start-*.js';
const welcome = { name: 'Your contacts, signed in the right way' };

test('the home page paints before the auth layer arrives, and "Sign in" waits for it', async ({
  page,
}) => {
  const held: Route[] = [];
  await page.route(authLayerChunk, (route) => {
    held.push(route);
  });
  await page.goto('/');
  await expect(page.getByRole('heading', welcome)).toBeVisible();
  await expect(page.locator('.session-checking')).toHaveText('Checking session…');
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);

  await new AppPage(page).signInWith('Local test IdP').click();
  await expect.poll(() => held.length).toBeGreaterThan(0);
  await expect(page).toHaveURL(/\/$/); // still waiting for the layer: no navigation yet
  for (const route of held.splice(0)) await route.continue();
  await expect(page).toHaveURL(new RegExp(`^${e2eEnv.idpIssuer}/`));
});

test('an auth layer that cannot be downloaded: the home page says so, and a protected page too', async ({
  page,
}) => {
  const providerRequests: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(e2eEnv.spaOrigin)) providerRequests.push(request.url());
  });
  await page.route(authLayerChunk, (route) => route.abort('connectionreset'));
  await page.goto('/');
  await expect(page.getByRole('heading', welcome)).toBeVisible();
  await expect(page.locator('.session-checking')).toHaveText('Sign-in is unavailable');
  await expect(page.getByRole('alert')).toContainText('could not be downloaded');

  await page.goto('/contacts');
  await expect(page.getByRole('alert').or(page.getByRole('heading')).first()).toBeVisible();
  await expect(page.locator('main')).toContainText('could not be downloaded');
  expect(providerRequests).toEqual([]);
});

test('app code that cannot be downloaded: a plain message, on the home page and on a callback', async ({
  page,
}) => {
  await page.route(appChunk, (route) => route.abort('connectionreset'));
  await page.goto('/');
  await expect(page.getByRole('alert')).toHaveText(
    'The app could not be downloaded. Check your connection and reload the page.',
  );
  // Back from the provider with a (made-up) response: the sign-in fails on its own; the page
  // still says what went wrong with the app instead of staying on "Signing you in…".
  await page.goto('/callback?code=made-up&state=made-up');
  await expect(page.getByRole('alert')).toContainText('could not be downloaded');
  await expect(page).toHaveURL(/\/callback$/); // the response left the address bar all the same
});

test.describe('the way back from the provider', () => {
  test('finishes with the config the sign-in started with: /config.json failing meanwhile does not stop it', async ({
    page,
    app,
    signIn,
    workerUser,
  }) => {
    await page.goto('/');
    await expect(app.signIn).toBeVisible();
    let configRequests = 0;
    await page.route('**/config.json', (route) => {
      configRequests += 1;
      return route.fulfill({ status: 503, contentType: 'text/plain', body: 'unavailable' });
    });
    await signIn(page, workerUser);
    await expect(app.contactNames.first()).toBeVisible();
    expect(configRequests).toBeGreaterThan(0); // asked for (index.html preloads it), not needed

    // The next page load has no sign-in to finish: it needs the file, and says it failed.
    await page.reload();
    await expect(
      page.getByRole('heading', { name: 'This app is not configured correctly' }),
    ).toBeVisible();
    await expect(page.getByRole('list', { name: 'Configuration problems' })).toContainText(
      '/config.json: the server answered 503',
    );
  });

  test('without the kept config (another tab, cleared storage) it loads /config.json and signs in', async ({
    page,
    app,
    signIn,
    workerUser,
  }) => {
    await page.addInitScript(() => {
      if (window.location.pathname === '/callback') sessionStorage.clear();
    });
    await signIn(page, workerUser);
    await expect(app.contactNames.first()).toBeVisible();
  });
});
