import type { Locator, Page } from '@playwright/test';

/** The SPA, as a user sees it. */
export class AppPage {
  readonly signIn: Locator;
  readonly signOut: Locator;
  readonly identity: Locator;
  readonly contacts: Locator;
  readonly contactNames: Locator;
  readonly alert: Locator;

  constructor(readonly page: Page) {
    this.signIn = page.getByRole('button', { name: 'Sign in', exact: true });
    this.signOut = page.getByRole('button', { name: 'Sign out' });
    this.identity = page.getByText('Signed in as');
    this.contacts = page.getByRole('list', { name: 'Contacts' });
    this.contactNames = this.contacts.locator('.contact-name');
    this.alert = page.getByRole('alert');
  }
}
