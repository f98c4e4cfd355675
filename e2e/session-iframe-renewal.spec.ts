// A provider that gives the SPA no refresh token (client `contacts-spa-no-refresh`, see
// IDP_NO_REFRESH_CLIENT): renewals go through a hidden prompt=none iframe. That works only
// when the IdP is same-site (its cookies reach the iframe): the local IdP on localhost. The
// second IdP is addressed as 127.0.0.1, another site, so the iframe carries no cookie and
// gets login_required; the app then makes a top-level redirect, which does carry the
// cookie, and the user is back on the same page with the unsaved form.
import type { BrowserContext, Page, Request } from '@playwright/test';
import { e2eEnv, expect, idpControl, secondIdp, test } from './fixtures.ts';
import { AppPage } from './pages/app-page.ts';
import { rewriteConfig } from './runtime-config.ts';
import { sessionLogCount, watchApiFailures } from './session-helpers.ts';

const NO_REFRESH_CLIENT = 'contacts-spa-no-refresh';

/** This context's app knows one provider: `issuer`, as the client without refresh tokens. */
async function useProviderWithoutRefreshTokens(context: BrowserContext, issuer: string) {
  await rewriteConfig(context, (config) => {
    // That issuer's own entry: its scope names (the second IdP has its own) stay as they are.
    const entry = config.providers.find((provider) => provider.issuer === issuer);
    if (!entry) throw new Error(`the e2e config names no provider ${issuer}`);
    const provider = { ...entry, id: 'no-refresh', clientId: NO_REFRESH_CLIENT, dpop: false };
    return { ...config, providers: [provider] };
  });
}

/** Authorization requests the page sent to `issuer`, split by where they ran. */
function watchAuthorizations(page: Page, issuer: string) {
  const seen = { iframe: [] as string[], topLevel: [] as string[] };
  page.on('request', (request: Request) => {
    const url = new URL(request.url());
    if (`${url.origin}${url.pathname}` !== `${issuer}/auth`) return;
    const prompt = url.searchParams.get('prompt') ?? '';
    (request.frame() === page.mainFrame() ? seen.topLevel : seen.iframe).push(prompt);
  });
  return seen;
}

test('same-site IdP: renewals through the hidden iframe, no refresh token, no error, no notice', async ({
  page,
  context,
  idp,
  signIn,
  workerUser,
}) => {
  test.slow(); // three real renewals of 5 s tokens, each a page load in the iframe
  await idp.resetUser(workerUser.username);
  await idp.setAccessTokenTtl(workerUser.username, 5); // renewed at 3.5 s
  await useProviderWithoutRefreshTokens(context, e2eEnv.idpIssuer);
  const authorizations = watchAuthorizations(page, e2eEnv.idpIssuer);
  const failures = watchApiFailures(page);
  try {
    await page.goto('/contacts');
    await signIn(page, workerUser);
    await expect(new AppPage(page).contactNames.first()).toBeVisible();
    const topLevelAfterSignIn = authorizations.topLevel.length;

    await expect.poll(() => sessionLogCount(page, 'renewed'), { timeout: 20_000 }).toBe(3);
    await page.reload(); // the contacts again, with the renewed token
    await expect(new AppPage(page).contactNames.first()).toBeVisible();

    expect(authorizations.iframe.length).toBeGreaterThanOrEqual(3);
    expect(new Set(authorizations.iframe)).toEqual(new Set(['none']));
    expect(authorizations.topLevel.length).toBe(topLevelAfterSignIn); // no redirect
    await expect(page.getByRole('button', { name: 'Sign in again' })).toHaveCount(0);
    expect(failures).toEqual([]);
    const counters = await idp.counters(workerUser.username);
    expect(counters).toMatchObject({ refreshes: 0, tokenErrors: 0, refreshReuseDetected: 0 });
    // Sign-in, then one authorization and one code exchange per renewal (and the reload).
    expect(counters.codeExchanges).toBeGreaterThanOrEqual(4);
    const log = await idp.log(workerUser.username);
    expect(log.filter((entry) => entry.event === 'authorization-error')).toEqual([]);
    expect(new Set(log.map((entry) => entry.client))).toEqual(new Set([NO_REFRESH_CLIENT]));
  } finally {
    await idp.resetUser(workerUser.username);
  }
});

test('cross-site IdP: the iframe gets login_required, a top-level redirect brings the user back to the same page with the unsaved form', async ({
  page,
  context,
  signIn,
  workerUser,
}) => {
  const idp2 = idpControl(secondIdp.issuer);
  if (!idp2) throw new Error('the second IdP has no test controls');
  await idp2.resetUser(workerUser.username);
  await idp2.setAccessTokenTtl(workerUser.username, 5);
  const { lastSeq } = await idp2.allLog();
  await useProviderWithoutRefreshTokens(context, secondIdp.issuer);
  const authorizations = watchAuthorizations(page, secondIdp.issuer);
  try {
    await page.goto('/contacts/new');
    await signIn(page, workerUser);
    await expect(page).toHaveURL(/\/contacts\/new$/);
    await page.getByLabel('Name').fill('Unsaved Grace');
    await page.getByLabel('Notes').fill('typed before the renewal');
    // Tokens from the coming redirect live long: the test looks at one round trip.
    await idp2.setAccessTokenTtl(workerUser.username, null);
    const topLevelAfterSignIn = authorizations.topLevel.length;

    // The renewal (at 3.5 s) fails in the iframe; the app leaves for the IdP and comes back.
    await expect
      .poll(() => authorizations.topLevel.length, { timeout: 15_000 })
      .toBe(topLevelAfterSignIn + 1);
    await expect(page).toHaveURL(/\/contacts\/new$/);
    await expect(new AppPage(page).identity).toContainText(workerUser.name);
    await expect(page.getByLabel('Name')).toHaveValue('Unsaved Grace');
    await expect(page.getByLabel('Notes')).toHaveValue('typed before the renewal');
    await expect(page.locator('[data-session-status]')).toHaveAttribute(
      'data-session-status',
      'active',
    );
    expect(authorizations.iframe).toEqual(['none']);

    // The IdP: the iframe's request had no session (no cookie), the top-level one had.
    const { entries } = await idp2.allLog({ since: lastSeq });
    const iframeRefusals = entries.filter(
      (entry) =>
        entry.client === NO_REFRESH_CLIENT &&
        entry.event === 'authorization-error' &&
        entry.detail === 'login_required',
    );
    expect(iframeRefusals).toHaveLength(1);
    expect(await idp2.counters(workerUser.username)).toMatchObject({
      codeExchanges: 2, // the sign-in and the redirect
      refreshes: 0,
    });
  } finally {
    await idp2.resetUser(workerUser.username);
  }
});

test('an iframe renewal answered in the name of another issuer (mix-up) exchanges no code: the session ends and says so', async ({
  page,
  context,
  idp,
  signIn,
  workerUser,
}) => {
  await idp.resetUser(workerUser.username);
  await idp.setAccessTokenTtl(workerUser.username, 5); // renewed at 3.5 s
  await useProviderWithoutRefreshTokens(context, e2eEnv.idpIssuer);
  try {
    await page.goto('/contacts');
    await signIn(page, workerUser);
    await expect(new AppPage(page).contactNames.first()).toBeVisible();
    const { codeExchanges } = await idp.counters(workerUser.username);
    await idp.nextAuthorizationResponse(workerUser.username, 'wrong-iss');

    await expect(page.getByRole('button', { name: 'Sign in again' })).toBeVisible({
      timeout: 15_000,
    });
    await expect(page.locator('.session-notice')).toContainText('Your session has ended.');
    const counters = await idp.counters(workerUser.username);
    expect(counters.faultsServed).toBe(1); // the iframe got the altered response...
    expect(counters.codeExchanges).toBe(codeExchanges); // ...and sent its code nowhere
    await expect(page.locator('.session-log li[data-kind="renew-failed"]')).toContainText(
      'invalid_response',
    );
  } finally {
    await idp.resetUser(workerUser.username);
  }
});
