// axe on every contacts page and dialog, in light and dark, wide and phone-sized: no
// serious or critical violation.
import { expectAccessible } from './axe.ts';
import { expect, test } from './fixtures.ts';
import { ContactsPage } from './pages/contacts-page.ts';

for (const scheme of ['light', 'dark'] as const) {
  test(`every contacts page and dialog passes axe (${scheme})`, async ({
    page,
    signIn,
    workerUser,
  }, testInfo) => {
    // Nine axe runs and a whole journey through real servers on a shared 2-core machine.
    test.setTimeout(240_000);
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    const contacts = new ContactsPage(page);
    await page.goto('/');
    await expect(page.getByRole('button', { name: /^Sign in/ }).first()).toBeVisible();
    await expectAccessible(page, 'the signed-out home page');

    await signIn(page, workerUser);
    await page.goto('/contacts');
    await expect(contacts.heading).toBeVisible();
    await expectAccessible(page, 'the read-only list');
    await contacts.openWithEditing('/contacts');

    await contacts.newContact.click();
    await page.getByRole('button', { name: 'Create contact' }).click();
    await expect(contacts.field('Name *')).toHaveAttribute('aria-invalid', 'true');
    await expectAccessible(page, 'the new contact form with errors');

    const name = `Axe Tester ${scheme} ${testInfo.testId.slice(0, 6)}`;
    await contacts.field('Name *').fill(name);
    await page.getByRole('button', { name: 'Create contact' }).click();
    await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
    await expectAccessible(page, 'a contact');

    await page.getByRole('link', { name: 'Edit' }).click();
    await expect(page.getByRole('button', { name: 'Save' })).toBeVisible();
    await expectAccessible(page, 'the edit form');
    await page.getByRole('link', { name: 'Cancel' }).click();

    await contacts.detail.getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await expectAccessible(page, 'the delete dialog');
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await expect(contacts.row(name)).toHaveCount(0);

    await contacts.search.fill('no such contact anywhere');
    await expect(page.getByText(/No contact matches/)).toBeVisible();
    await expectAccessible(page, 'the empty search');

    await page.setViewportSize({ width: 375, height: 740 });
    await contacts.search.clear();
    await expectAccessible(page, 'the list at phone width');

    await page.goto('/account');
    await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
    await expectAccessible(page, 'the account page');
    await page.goto('/contacts/no-such-id');
    await expect(page.getByRole('heading', { name: 'Contact not found' })).toBeVisible();
    await expectAccessible(page, 'a missing contact');
  });
}
