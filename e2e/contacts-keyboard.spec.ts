// Keyboard only, in the app: shortcuts for search ("/") and new contact ("n"), focus that
// follows what opens, a delete dialog driven by keys.
import { expect, test } from './fixtures.ts';
import { ContactsPage } from './pages/contacts-page.ts';

test('keyboard only: create with "n", find with "/", open, and delete through the dialog', async ({
  page,
  signIn,
  workerUser,
}, testInfo) => {
  test.slow(); // a whole journey through real servers on a shared 2-core machine
  const contacts = new ContactsPage(page);
  const name = `Alan Turing ${testInfo.testId.slice(0, 6)}`;
  await page.goto('/');
  await signIn(page, workerUser);
  await contacts.openWithEditing('/contacts');
  const keys = page.keyboard;

  await keys.press('n');
  await expect(contacts.field('Name *')).toBeFocused();
  await keys.type(name);
  await keys.press('Tab');
  await expect(contacts.field('Emails')).toBeFocused();
  await keys.type('alan@bletchley.example');
  await keys.press('Enter');
  const heading = page.getByRole('heading', { name, level: 2 });
  await expect(heading).toBeFocused();

  await keys.press('/');
  await expect(contacts.search).toBeFocused();
  await keys.type(name);
  await expect(contacts.rows).toHaveCount(1);
  await keys.press('Tab');
  await expect(contacts.newContact).toBeFocused();
  await keys.press('Tab');
  await expect(page.getByRole('link', { name: 'Import or export' })).toBeFocused();
  await keys.press('Tab');
  await expect(contacts.row(name)).toBeFocused();
  await keys.press('Enter');
  await expect(heading).toBeFocused();

  await keys.press('Tab');
  await expect(page.getByRole('link', { name: 'Edit' })).toBeFocused();
  await keys.press('Tab');
  const deleteButton = contacts.detail.getByRole('button', { name: 'Delete' });
  await expect(deleteButton).toBeFocused();
  await keys.press('Enter');
  const dialog = page.getByRole('dialog', { name: `Delete ${name}?` });
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await keys.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(deleteButton).toBeFocused();

  await keys.press('Enter');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await keys.press('Tab');
  await keys.press('Enter');
  await expect(contacts.rows).toHaveCount(0);
  await expect(page.getByText(`No contact matches “${name}”.`)).toBeVisible();
});
