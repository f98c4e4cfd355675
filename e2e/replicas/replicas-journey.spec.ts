// The app's journey against the replicated API: every call goes through the round-robin
// proxy, so consecutive requests of one page land on different replicas (DPoP nonces,
// ETags and idempotency keys must hold across them).
import { expect, test } from '@playwright/test';
import { findDemoUser } from '../../servers/demo-data.ts';
import { AppPage } from '../pages/app-page.ts';
import { ContactsPage } from '../pages/contacts-page.ts';
import { IdpConsentPage, IdpLoginPage, IdpLogoutPage } from '../pages/idp-pages.ts';
import { urls } from './replicas-env.ts';

const user = findDemoUser('alice');
if (!user) throw new Error('no demo user alice');

test('sign-in, list, create, edit, delete, a renewal and sign-out against three replicas', async ({
  page,
}) => {
  const app = new AppPage(page);
  const contacts = new ContactsPage(page);
  const consent = new IdpConsentPage(page);

  await page.goto('/');
  await app.signIn.click();
  await new IdpLoginPage(page).signIn(user);
  await expect(consent.heading).toBeVisible();
  await consent.allow.click();
  await expect(app.identity).toContainText(user.name);

  await page.goto('/contacts');
  await expect(contacts.heading).toBeVisible();
  await expect(app.contactNames.first()).toBeVisible(); // the demo seed, stored once
  await expect(app.alert).toHaveCount(0);

  await contacts.askForEditing('allow');
  const name = 'Ada Lovelace on three replicas';
  await contacts.newContact.click();
  await contacts.field('Name *').fill(name);
  await contacts.field('Emails').fill('ada@analytical.example');
  await page.getByRole('button', { name: 'Create contact' }).click();
  await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
  await expect(contacts.row(name)).toBeVisible();

  // Access tokens live 10 s: the session renews by itself; the next edit uses the new token.
  await expect(page.locator('.session-log li[data-kind="renewed"]').first()).toBeAttached({
    timeout: 25_000,
  });
  await contacts.row(name).click();
  await page.getByRole('link', { name: 'Edit' }).click();
  await contacts.field('Phones').fill('+44 20 7946 0018');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(contacts.detail.getByText('+44 20 7946 0018')).toBeVisible();

  await contacts.row(name).click();
  await contacts.deleteOpenContact(name);
  await expect(contacts.row(name)).toHaveCount(0);
  await expect(page).toHaveURL(`${urls.spa}/contacts`);
  await expect(app.alert).toHaveCount(0);
  // Reloaded from whichever replica answers: the delete holds everywhere.
  await page.reload();
  await expect(contacts.heading).toBeVisible();
  await expect(app.contactNames.first()).toBeVisible();
  await expect(contacts.row(name)).toHaveCount(0);

  await app.signOut.click();
  const logout = new IdpLogoutPage(page);
  await expect(logout.heading).toBeVisible();
  await logout.confirm.click();
  await expect(app.signIn).toBeVisible();
});
