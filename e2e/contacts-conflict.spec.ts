// Two tabs edit the same contact: the second save meets 412, sees both versions and
// chooses; nothing is overwritten silently.
import { deleteContactViaApi } from './contacts-cleanup.ts';
import { expect, test } from './fixtures.ts';
import { ContactsPage } from './pages/contacts-page.ts';

test('an edit conflict between two tabs shows both versions and keeps the chosen one', async ({
  context,
  page,
  signIn,
  workerUser,
  api,
}, testInfo) => {
  test.slow(); // a whole journey through real servers on a shared 2-core machine
  const client = await api(workerUser);
  const name = `Grace Hopper ${testInfo.testId.slice(0, 6)}`;
  const created = await client.request<{ id: string }>('POST', '/contacts', {
    body: { name, emails: ['grace@navy.example'] },
  });
  expect(created.status).toBe(201);
  const editPath = `/contacts/${created.body.id}/edit`;
  try {
    const first = new ContactsPage(page);
    await page.goto('/');
    await signIn(page, workerUser);
    await first.openWithEditing(editPath);
    await expect(first.field('Name *')).toHaveValue(name);

    // The second tab (its own session, same account) saves first.
    const otherPage = await context.newPage();
    const second = new ContactsPage(otherPage);
    await second.openWithEditing(editPath);
    await second.field('Company').fill('US Navy');
    await otherPage.getByRole('button', { name: 'Save' }).click();
    await expect(second.detail.getByText('US Navy')).toBeVisible();

    // The first tab, still on the old version, saves: conflict, both versions shown.
    await first.field('Phones').fill('+1 555 0100');
    await page.getByRole('button', { name: 'Save' }).click();
    const conflict = page.getByRole('region', { name: 'This contact was changed somewhere else' });
    await expect(conflict).toBeVisible();
    const mine = conflict.getByRole('region', { name: 'Your version (not saved)' });
    const theirs = conflict.getByRole('region', { name: 'Saved version' });
    await expect(mine).toContainText('+1 555 0100');
    await expect(mine).not.toContainText('US Navy');
    await expect(theirs).toContainText('US Navy');

    await conflict.getByRole('button', { name: 'Keep my version' }).click();
    await expect(first.detail.getByText('+1 555 0100')).toBeVisible();
    const saved = await client.request<{
      phones: string[];
      company: string | null;
      version: number;
    }>('GET', `/contacts/${created.body.id}`);
    expect(saved.body).toMatchObject({ phones: ['+1 555 0100'], company: null, version: 3 });
  } finally {
    await deleteContactViaApi(await api(workerUser), created.body.id); // a fresh token: tokens live 2 min
  }
});

test('an edit conflict: "Keep the saved version" drops my change and shows the other', async ({
  context,
  page,
  signIn,
  workerUser,
  api,
}, testInfo) => {
  test.slow();
  const client = await api(workerUser);
  const name = `Katherine Johnson ${testInfo.testId.slice(0, 6)}`;
  const created = await client.request<{ id: string }>('POST', '/contacts', { body: { name } });
  expect(created.status).toBe(201);
  const editPath = `/contacts/${created.body.id}/edit`;
  try {
    const first = new ContactsPage(page);
    await page.goto('/');
    await signIn(page, workerUser);
    await first.openWithEditing(editPath);
    await expect(first.field('Name *')).toHaveValue(name);

    const otherPage = await context.newPage();
    const second = new ContactsPage(otherPage);
    await second.openWithEditing(editPath);
    await second.field('Company').fill('NASA');
    await otherPage.getByRole('button', { name: 'Save' }).click();
    await expect(second.detail.getByText('NASA')).toBeVisible();

    await first.field('Phones').fill('+1 555 0199');
    await page.getByRole('button', { name: 'Save' }).click();
    const conflict = page.getByRole('region', { name: 'This contact was changed somewhere else' });
    await conflict.getByRole('link', { name: 'Keep the saved version' }).click();
    await expect(conflict).toHaveCount(0);
    await expect(first.detail.getByRole('heading', { name, level: 2 })).toBeVisible();
    await expect(first.detail.getByText('NASA')).toBeVisible();
    await expect(first.detail.getByText('+1 555 0199')).toHaveCount(0);
    const saved = await client.request('GET', `/contacts/${created.body.id}`);
    expect(saved.body).toMatchObject({ company: 'NASA', phones: [], version: 2 });
  } finally {
    await deleteContactViaApi(await api(workerUser), created.body.id);
  }
});

test('a delete of a contact changed elsewhere meets 412: not deleted, the change shown', async ({
  context,
  page,
  signIn,
  workerUser,
  api,
}, testInfo) => {
  test.slow();
  const client = await api(workerUser);
  const name = `Dorothy Vaughan ${testInfo.testId.slice(0, 6)}`;
  const created = await client.request<{ id: string }>('POST', '/contacts', { body: { name } });
  expect(created.status).toBe(201);
  const detailPath = `/contacts/${created.body.id}`;
  try {
    const first = new ContactsPage(page);
    await page.goto('/');
    await signIn(page, workerUser);
    await first.openWithEditing(detailPath);
    await expect(first.detail.getByRole('heading', { name, level: 2 })).toBeVisible();

    // Another tab changes it while this one still shows the old version.
    const otherPage = await context.newPage();
    const second = new ContactsPage(otherPage);
    await second.openWithEditing(`${detailPath}/edit`);
    await second.field('Company').fill('Langley');
    await otherPage.getByRole('button', { name: 'Save' }).click();
    await expect(second.detail.getByText('Langley')).toBeVisible();
    await expect(first.detail.getByText('Langley')).toHaveCount(0);

    await first.detail.getByRole('button', { name: 'Delete' }).click();
    await page
      .getByRole('dialog', { name: `Delete ${name}?` })
      .getByRole('button', { name: 'Delete' })
      .click();
    await expect(page.getByRole('alert')).toContainText(
      `${name} was not deleted: This contact was changed somewhere else since you opened it.`,
    );
    // The contact is back in the list and reloaded with the other tab's change.
    await expect(first.row(name)).toBeVisible();
    await expect(first.detail.getByText('Langley')).toBeVisible();
    const still = await client.request('GET', detailPath);
    expect(still.status).toBe(200);
    expect(still.body).toMatchObject({ company: 'Langley', version: 2 });
  } finally {
    await deleteContactViaApi(await api(workerUser), created.body.id);
  }
});
