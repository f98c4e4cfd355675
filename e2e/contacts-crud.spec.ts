// The everyday journey: editing is asked for when needed, then create → search → edit →
// delete, each visible in the list at once and still true after a reload.
import { e2eEnv, expect, test } from './fixtures.ts';
import { ContactsPage } from './pages/contacts-page.ts';

test('a user allows editing, then creates, finds, edits and deletes a contact', async ({
  page,
  signIn,
  workerUser,
}, testInfo) => {
  test.slow(); // a whole journey through real servers on a shared 2-core machine
  const contacts = new ContactsPage(page);
  const name = `Ada Lovelace ${testInfo.testId.slice(0, 6)}`;
  await page.goto('/');
  await signIn(page, workerUser);
  await page.goto('/contacts');
  await expect(contacts.heading).toBeVisible();
  await expect(contacts.newContact).toHaveCount(0); // read-only at sign-in
  await contacts.askForEditing('allow');
  await expect(contacts.newContact).toBeVisible();

  // Create, with a validation message next to the field first.
  await contacts.newContact.click();
  await page.getByRole('button', { name: 'Create contact' }).click();
  await expect(contacts.field('Name *')).toHaveAccessibleDescription('Enter a name.');
  await contacts.field('Name *').fill(name);
  await contacts.field('Emails').fill('ada@engine.example');
  await contacts.field('Company').fill('Analytical Engines');
  await page.getByRole('button', { name: 'Create contact' }).click();
  await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
  await expect(contacts.row(name)).toBeVisible();

  // Search: the URL carries it, and a reload keeps it.
  await contacts.search.fill('analyt engin');
  await expect(page).toHaveURL(/[?&]q=analyt\+engin/);
  await expect(contacts.rows).toHaveCount(1);
  await page.reload();
  await expect(contacts.search).toHaveValue('analyt engin');
  await expect(contacts.row(name)).toBeVisible();

  // Edit.
  await contacts.row(name).click();
  await page.getByRole('link', { name: 'Edit' }).click();
  await contacts.field('Phones').fill('+44 20 7946 0018');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(contacts.detail.getByText('+44 20 7946 0018')).toBeVisible();
  await contacts.search.fill('+4420');
  await expect(contacts.row(name)).toBeVisible();

  // Delete, confirmed in a dialog.
  await contacts.row(name).click();
  await page.getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog', { name: `Delete ${name}?` });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(contacts.row(name)).toHaveCount(0); // at once (optimistic)
  await expect(page).toHaveURL(/\/contacts\?q=%2B4420$/); // the server agreed
  await page.reload();
  await expect(contacts.heading).toBeVisible();
  await expect(contacts.row(name)).toHaveCount(0);
});

test('a list that cannot load says why, and "Try again" recovers', async ({
  page,
  signIn,
  workerUser,
}) => {
  test.slow(); // a whole journey through real servers on a shared 2-core machine
  const contacts = new ContactsPage(page);
  await page.goto('/');
  await signIn(page, workerUser);
  await expect(contacts.heading).toBeVisible();
  await page.route(`${e2eEnv.apiUrl}/contacts?**`, (route) => route.abort(), { times: 1 });
  await page.reload();
  await expect(
    page.getByRole('heading', { name: 'Your contacts could not be loaded' }),
  ).toBeVisible();
  await expect(page.getByText('The contacts service could not be reached.')).toBeVisible();
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(contacts.heading).toBeVisible();
  await expect(contacts.rows.first()).toBeVisible();
});
