import { expect, type Locator, type Page } from '@playwright/test';
import { IdpConsentPage } from './idp-pages.ts';

/** The contacts screens, as a user sees them. */
export class ContactsPage {
  readonly heading: Locator;
  readonly search: Locator;
  readonly list: Locator;
  readonly rows: Locator;
  readonly count: Locator;
  readonly newContact: Locator;
  readonly allowEditing: Locator;
  readonly readOnlyNotice: Locator;
  readonly detail: Locator;
  readonly scroller: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Your contacts', level: 1, exact: true });
    this.search = page.getByRole('searchbox', { name: 'Search contacts' });
    this.list = page.getByRole('list', { name: 'Contacts' });
    this.rows = this.list.getByRole('listitem');
    this.count = page.locator('#contact-count');
    this.newContact = page.getByRole('link', { name: 'New contact' });
    this.allowEditing = page.getByRole('button', { name: /allow editing/i }).first();
    this.readOnlyNotice = page.locator('.read-only').first();
    this.detail = page.locator('.contacts-detail-pane');
    this.scroller = page.getByTestId('contact-scroller');
  }

  /** Opens `path` signed in (the page must have signed in already), editing allowed if asked. */
  async openWithEditing(path = '/contacts'): Promise<void> {
    await this.page.goto(path);
    await expect(this.heading).toBeVisible();
    if (await this.newContact.isVisible()) return;
    await this.askForEditing('allow');
    await expect(this.newContact).toBeVisible();
    if (path !== '/contacts') await this.page.goto(path);
  }

  row(name: string): Locator {
    return this.list.getByRole('link', { name: new RegExp(`^${escapeRegExp(name)}`) });
  }

  field(label: string): Locator {
    return this.detail.getByLabel(label, { exact: true });
  }

  /** "Delete" on the open contact `name`, then "Delete" in the dialog that asks. */
  async deleteOpenContact(name: string): Promise<void> {
    await this.detail.getByRole('button', { name: 'Delete' }).click();
    await this.page
      .getByRole('dialog', { name: `Delete ${name}?` })
      .getByRole('button', { name: 'Delete' })
      .click();
  }

  /** "Allow editing", then the provider's consent page if it asks (allowed unless told). */
  async askForEditing(choice: 'allow' | 'deny' | { untick: string } = 'allow'): Promise<void> {
    // The app leaves for the provider: wait for that, or the old page would count as "back".
    const left = this.page.waitForEvent('framenavigated', {
      predicate: (frame) => frame === this.page.mainFrame(),
    });
    await this.allowEditing.click();
    await left;
    const consent = new IdpConsentPage(this.page);
    await expect(consent.heading.or(this.heading).first()).toBeVisible();
    if (!(await consent.heading.isVisible())) return;
    if (typeof choice === 'object') await consent.optional(choice.untick).uncheck();
    await (choice === 'deny' ? consent.deny : consent.allow).click();
    await expect(this.heading).toBeVisible();
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
