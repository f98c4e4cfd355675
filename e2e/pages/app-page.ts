import type { Locator, Page } from '@playwright/test';

/** The SPA, as a user sees it. */
export class AppPage {
  readonly signIn: Locator;
  readonly signOut: Locator;
  readonly identity: Locator;
  readonly contacts: Locator;
  readonly contactNames: Locator;
  /** The contacts page of an account without any. */
  readonly noContacts: Locator;
  readonly alert: Locator;

  constructor(readonly page: Page) {
    // "Sign in" with one provider; "Sign in with <label>" per provider with several (the
    // first is the local test IdP).
    this.signIn = page.getByRole('button', { name: /^Sign in( with .+)?$/ }).first();
    this.signOut = page.getByRole('button', { name: 'Sign out' });
    this.identity = page.getByText('Signed in as');
    this.contacts = page.getByRole('list', { name: 'Contacts' });
    this.contactNames = this.contacts.locator('.contact-name');
    this.noContacts = page.getByText('No contacts yet.', { exact: true });
    this.alert = page.getByRole('alert');
  }

  /** The sign-in button of one provider, when several are configured. */
  signInWith(label: string): Locator {
    return this.page.getByRole('button', { name: `Sign in with ${label}`, exact: true });
  }
}
