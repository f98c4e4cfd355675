import { expect, type Locator, type Page } from '@playwright/test';
import type { DemoUser } from '../../servers/demo-data.ts';

/** The test IdP's own login page. */
export class IdpLoginPage {
  readonly heading: Locator;
  readonly username: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Sign in', exact: true });
    this.username = page.getByLabel('Username');
    this.password = page.getByLabel('Password');
    this.submit = page.getByRole('button', { name: 'Sign in' });
    this.error = page.getByRole('alert');
  }

  async signIn(user: Pick<DemoUser, 'username' | 'password'>): Promise<void> {
    await expect(this.heading).toBeVisible();
    await this.username.fill(user.username);
    await this.password.fill(user.password);
    await this.submit.click();
  }
}

/** The test IdP's consent page. */
export class IdpConsentPage {
  readonly heading: Locator;
  readonly requested: Locator;
  readonly allow: Locator;
  readonly deny: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Allow Contacts to access your account?' });
    this.requested = page.getByRole('listitem');
    this.allow = page.getByRole('button', { name: 'Allow', exact: true });
    this.deny = page.getByRole('button', { name: 'Deny', exact: true });
  }

  /** The checkbox of an optional scope, by its plain-words label ("See your email address"). */
  optional(label: string): Locator {
    return this.page.getByRole('checkbox', { name: label });
  }
}

/** Any provider's login form, found by CSS selectors (external-provider mode). */
export class SelectorLoginPage {
  constructor(
    readonly page: Page,
    readonly selectors: { username: string; password: string; submit: string },
  ) {}

  async signIn(user: { username: string; password: string }): Promise<void> {
    await this.page.locator(this.selectors.username).fill(user.username);
    await this.page.locator(this.selectors.password).fill(user.password);
    await this.page.locator(this.selectors.submit).click();
  }
}

/** The test IdP's RP-initiated logout confirmation. */
export class IdpLogoutPage {
  readonly heading: Locator;
  readonly confirm: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Sign out of the test IdP?' });
    this.confirm = page.getByRole('button', { name: 'Yes, sign me out' });
  }
}
