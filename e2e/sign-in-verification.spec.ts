// Sign-in that cannot be fooled: every bad ID token and every bad authorization response
// the test IdP can serve ends at a plain message, with no user stored and not one request
// reaching the contacts API.
import type { Page } from '@playwright/test';
import { attemptSignIn, e2eEnv, expect, test } from './fixtures.ts';
import { holdAuthorization } from './hold-authorization.ts';
import type { AuthorizationResponseFault, IdTokenFault } from './idp-control.ts';
import { expectNoSessionSurvives } from './session-survival.ts';

/** Records every request the page sends to the contacts API. */
function watchApi(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    if (request.url().startsWith(e2eEnv.apiUrl)) seen.push(`${request.method()} ${request.url()}`);
  });
  return seen;
}

// The rule the app names in its technical detail line for each kind of bad ID token.
const idTokenCases: [IdTokenFault, RegExp][] = [
  ['bad-signature', /signature/],
  ['alg-none', /alg/],
  ['hs256-public-key', /alg/],
  ['unknown-kid', /key/],
  ['wrong-iss', /iss/],
  ['wrong-aud', /aud/],
  ['extra-untrusted-aud', /azp/],
  ['wrong-azp', /azp/],
  ['expired', /exp/],
  ['iat-future', /iat/],
  ['iat-week-old', /iat/],
  ['missing-exp', /exp/],
  ['missing-iat', /iat/],
  ['missing-nonce', /nonce/],
  ['wrong-nonce', /nonce/],
  ['missing-sub', /sub/],
];

test.describe('a bad ID token is refused', () => {
  for (const [kind, rule] of idTokenCases) {
    test(`${kind}`, async ({ page, app, idp, workerUser }) => {
      await idp.resetUser(workerUser.username);
      await idp.nextIdToken(workerUser.username, kind);
      const apiRequests = watchApi(page);

      await attemptSignIn(page, workerUser);

      await expect(app.alert).toContainText('The sign-in response could not be verified');
      await expect(app.alert.locator('.technical')).toContainText(rule);
      await expect(app.identity).toHaveCount(0);
      await expectNoSessionSurvives(page);
      expect(apiRequests).toEqual([]);
      // The IdP confirms it served this fault, to this user, once.
      expect(await idp.counters(workerUser.username)).toMatchObject({ faultsServed: 1 });
    });
  }

  test('a token without kid is still accepted when its signature verifies', async ({
    page,
    app,
    idp,
    workerUser,
  }) => {
    await idp.resetUser(workerUser.username);
    await idp.nextIdToken(workerUser.username, 'missing-kid');
    await attemptSignIn(page, workerUser);
    await expect(app.identity).toContainText(workerUser.name);
    expect(await idp.counters(workerUser.username)).toMatchObject({ faultsServed: 1 });
  });
});

// What the user reads for each kind of bad authorization response.
const callbackCases: [AuthorizationResponseFault, string][] = [
  [
    'wrong-state',
    'This sign-in response is not one this browser asked for, or it was already used.',
  ],
  ['missing-state', 'This sign-in response is incomplete.'],
  ['missing-code', 'This sign-in response is incomplete.'],
  ['wrong-iss', 'This sign-in response did not come from the expected provider.'],
  ['missing-iss', 'This sign-in response did not come from the expected provider.'],
  ['error', 'The identity provider had a problem. Try again in a moment.'],
];

test.describe('a bad authorization response is refused before any token request', () => {
  for (const [kind, message] of callbackCases) {
    test(`${kind}`, async ({ page, app, idp, workerUser }) => {
      await idp.resetUser(workerUser.username);
      await idp.nextAuthorizationResponse(workerUser.username, kind);
      const apiRequests = watchApi(page);

      await attemptSignIn(page, workerUser);

      await expect(app.alert).toContainText(message);
      // The address bar no longer holds the response, and there is a way forward.
      await expect(page).toHaveURL(`${e2eEnv.spaOrigin}/callback`);
      await expect(page.getByRole('button', { name: 'Try again' })).toBeVisible();
      await expectNoSessionSurvives(page);
      expect(apiRequests).toEqual([]);
      expect(await idp.counters(workerUser.username)).toMatchObject({
        faultsServed: 1,
        codeExchanges: 0,
      });
    });
  }
});

test.describe('a failing token endpoint leaves no partial session', () => {
  const cases = [
    {
      name: 'connection dropped',
      fault: { kind: 'drop' as const },
      message: 'could not be reached',
    },
    { name: '503', fault: { kind: '503' as const }, message: 'The identity provider' },
    {
      name: 'invalid_grant',
      fault: { kind: 'oauth_error' as const, error: 'invalid_grant' },
      message: 'The identity provider could not sign you in.',
    },
    {
      name: 'temporarily_unavailable',
      fault: { kind: 'oauth_error' as const, error: 'temporarily_unavailable' },
      message: 'The identity provider is busy right now.',
    },
    {
      // Longer than the app's 10 s request timeout: the page must not wait forever.
      name: 'no answer in time',
      fault: { kind: 'slow' as const, delayMs: 14_000 },
      message: 'The identity provider did not answer in time.',
    },
  ];
  for (const { name, fault, message } of cases) {
    test(name, async ({ page, app, idp, workerUser }) => {
      const slow = fault.kind === 'slow';
      if (slow) test.slow();
      await idp.resetUser(workerUser.username);
      await idp.failTokenEndpoint(workerUser.username, fault);
      const apiRequests = watchApi(page);

      await attemptSignIn(page, workerUser, { timeout: slow ? 20_000 : undefined });

      await expect(app.alert).toContainText(message);
      await expect(app.identity).toHaveCount(0);
      await expectNoSessionSurvives(page);
      expect(apiRequests).toEqual([]);

      // Trying again signs in: nothing was left half done.
      await page.getByRole('button', { name: 'Try again' }).click();
      await expect(app.identity).toContainText(workerUser.name);
    });
  }
});

test('the return path is only ever a path on this origin, even if the saved state is tampered with', async ({
  page,
  app,
  idpLogin,
  workerUser,
}) => {
  await page.goto('/');
  // Hold the redirect to the IdP, rewrite the saved return path, then let it go on.
  const authorizeUrl = await holdAuthorization(page, e2eEnv.idpIssuer, () => app.signIn.click());
  await page.evaluate(() => {
    for (const key of Object.keys(localStorage).filter((k) => k.startsWith('oidc.'))) {
      const state = JSON.parse(localStorage.getItem(key) ?? '{}');
      if (state.data) {
        state.data.returnTo = '//evil.example/phish';
        localStorage.setItem(key, JSON.stringify(state));
      }
    }
  });
  await page.goto(authorizeUrl);
  await idpLogin.signIn(workerUser);
  const consent = page.getByRole('button', { name: 'Allow', exact: true });
  await expect(consent.or(app.signOut).first()).toBeVisible();
  if (await consent.isVisible()) await consent.click();
  await expect(app.identity).toContainText(workerUser.name);
  await expect(page).toHaveURL(`${e2eEnv.spaOrigin}/`);
});
