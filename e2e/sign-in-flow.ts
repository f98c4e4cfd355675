// Signing in through the real pages: the app's button, the provider's login form, and the
// consent page, handled as the test says (shown and allowed or denied, not expected, or
// allowed if shown), so remembered consent never makes a journey flaky.
import { expect, type Page } from '@playwright/test';
import { trackIssuedTokens } from './app-session.ts';
import { e2eEnv, provider } from './e2e-env.ts';
import { GlewlwydPages } from './glewlwyd/glewlwyd-pages.ts';
import { AppPage } from './pages/app-page.ts';
import { IdpConsentPage, IdpLoginPage, SelectorLoginPage } from './pages/idp-pages.ts';

/** What the consent page must be, and what to answer. */
export type ConsentChoice = 'allow' | 'deny' | 'expect-none' | 'if-shown';

export interface TestUser {
  username: string;
  password: string;
  /** As the app shows it: "Signed in as <name>". */
  name: string;
}

export interface SignInOptions {
  /** Default 'if-shown'. 'allow'/'deny' fail if no consent page comes; 'expect-none' fails if one does. */
  consent?: ConsentChoice;
  /** Optional scopes to untick on the consent page, by label ("See your email address"). */
  untick?: readonly string[];
}

export async function signInThroughPages(
  page: Page,
  user: TestUser,
  options: SignInOptions = {},
): Promise<void> {
  const consent = options.consent ?? 'if-shown';
  const app = new AppPage(page);
  trackIssuedTokens(page.context());
  if (page.url() === 'about:blank') await page.goto('/');
  // From the home page, or already on the provider's login page (a protected URL sent us).
  if (page.url().startsWith(e2eEnv.spaOrigin)) await app.signIn.click();
  if (provider.external && provider.pages === 'glewlwyd') {
    await new GlewlwydPages(page).signIn(user, e2eEnv.spaOrigin);
  } else if (provider.external) {
    await new SelectorLoginPage(page, provider.selectors).signIn(user);
    const allow = provider.selectors.consent;
    if (allow) {
      await expect(app.signOut.or(page.locator(allow)).first()).toBeVisible();
      if (await page.locator(allow).isVisible()) await page.locator(allow).click();
    }
  } else {
    await new IdpLoginPage(page).signIn(user);
    const consentPage = new IdpConsentPage(page);
    if (consent === 'allow' || consent === 'deny') {
      await expect(consentPage.heading).toBeVisible();
    } else {
      // Whichever comes first: the app (consent remembered) or the consent page. Not
      // app.identity: the consent page says "Signed in as" too.
      await expect(app.signOut.or(consentPage.heading).first()).toBeVisible();
      if (consent === 'expect-none') {
        await expect(consentPage.heading, 'a consent page was shown').toHaveCount(0);
      }
    }
    if (await consentPage.heading.isVisible()) {
      for (const label of options.untick ?? []) await consentPage.optional(label).uncheck();
      await (consent === 'deny' ? consentPage.deny : consentPage.allow).click();
      if (consent === 'deny') return;
    }
  }
  await expect(page).toHaveURL(new RegExp(`^${e2eEnv.spaOrigin}/`));
  await expect(app.identity).toContainText(user.name);
  // The name shows as soon as the user is stored, a moment before the callback page moves
  // on: a reload in that moment would land on a spent /callback.
  await expect(page).not.toHaveURL(new RegExp(`^${e2eEnv.spaOrigin}/callback`));
}

/**
 * Starts a sign-in that may fail (a fault is armed): login, consent allowed if shown, then
 * waits until the app shows either the signed-in user or an alert. Asserts nothing else.
 */
export async function attemptSignIn(
  page: Page,
  user: TestUser,
  /** How long the app may take to show the outcome (default: expect's timeout). */
  { timeout }: { timeout?: number } = {},
): Promise<void> {
  const app = new AppPage(page);
  const consentPage = new IdpConsentPage(page);
  trackIssuedTokens(page.context());
  if (page.url() === 'about:blank') await page.goto('/');
  await app.signIn.click();
  await new IdpLoginPage(page).signIn(user);
  const outcome = app.alert.or(app.signOut);
  await expect(outcome.or(consentPage.heading).first()).toBeVisible({ timeout });
  if (await consentPage.heading.isVisible()) await consentPage.allow.click();
  await expect(page).toHaveURL(new RegExp(`^${e2eEnv.spaOrigin}/`));
  await expect(outcome.first()).toBeVisible({ timeout });
}
