// Two tabs edit the same contact: the second save meets 412, sees both versions and
// chooses; nothing is overwritten silently.
import type { BrowserContext } from '@playwright/test';
import type { ContactsApi } from './contacts-api-client.ts';
import { deleteContactViaApi } from './contacts-cleanup.ts';
import { expect, test } from './fixtures.ts';
import { ContactsPage } from './pages/contacts-page.ts';

/** Creates a contact through the API, runs `use` with its id, then deletes it. */
async function withContact(
  api: () => Promise<ContactsApi>,
  body: { name: string; emails?: string[] },
  use: (id: string, client: ContactsApi) => Promise<void>,
): Promise<void> {
  const client = await api();
  const created = await client.request<{ id: string }>('POST', '/contacts', { body });
  expect(created.status).toBe(201);
  try {
    await use(created.body.id, client);
  } finally {
    await deleteContactViaApi(await api(), created.body.id); // a fresh token: tokens live 2 min
  }
}

/** A second tab (its own session, same account) sets the contact's company and saves first. */
async function saveCompanyInAnotherTab(context: BrowserContext, id: string, company: string) {
  const otherPage = await context.newPage();
  const second = new ContactsPage(otherPage);
  await second.openWithEditing(`/contacts/${id}/edit`);
  await second.field('Company').fill(company);
  await otherPage.getByRole('button', { name: 'Save' }).click();
  await expect(second.detail.getByText(company)).toBeVisible();
}

test('an edit conflict between two tabs shows both versions and keeps the chosen one', async ({
  context,
  page,
  signIn,
  workerUser,
  api,
}, testInfo) => {
  test.slow(); // a whole journey through real servers on a shared 2-core machine
  const name = `Grace Hopper ${testInfo.testId.slice(0, 6)}`;
  const body = { name, emails: ['grace@navy.example'] };
  await withContact(
    () => api(workerUser),
    body,
    async (id, client) => {
      const first = new ContactsPage(page);
      await page.goto('/');
      await signIn(page, workerUser);
      await first.openWithEditing(`/contacts/${id}/edit`);
      await expect(first.field('Name *')).toHaveValue(name);

      await saveCompanyInAnotherTab(context, id, 'US Navy');

      // The first tab, still on the old version, saves: conflict, both versions shown.
      await first.field('Phones').fill('+1 555 0100');
      await page.getByRole('button', { name: 'Save' }).click();
      const conflict = page.getByRole('region', {
        name: 'This contact was changed somewhere else',
      });
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
      }>('GET', `/contacts/${id}`);
      expect(saved.body).toMatchObject({ phones: ['+1 555 0100'], company: null, version: 3 });
    },
  );
});

test('an edit conflict: "Keep the saved version" drops my change and shows the other', async ({
  context,
  page,
  signIn,
  workerUser,
  api,
}, testInfo) => {
  test.slow();
  const name = `Katherine Johnson ${testInfo.testId.slice(0, 6)}`;
  await withContact(
    () => api(workerUser),
    { name },
    async (id, client) => {
      const first = new ContactsPage(page);
      await page.goto('/');
      await signIn(page, workerUser);
      await first.openWithEditing(`/contacts/${id}/edit`);
      await expect(first.field('Name *')).toHaveValue(name);

      await saveCompanyInAnotherTab(context, id, 'NASA');

      await first.field('Phones').fill('+1 555 0199');
      await page.getByRole('button', { name: 'Save' }).click();
      const conflict = page.getByRole('region', {
        name: 'This contact was changed somewhere else',
      });
      await conflict.getByRole('link', { name: 'Keep the saved version' }).click();
      await expect(conflict).toHaveCount(0);
      await expect(first.detail.getByRole('heading', { name, level: 2 })).toBeVisible();
      await expect(first.detail.getByText('NASA')).toBeVisible();
      await expect(first.detail.getByText('+1 555 0199')).toHaveCount(0);
      const saved = await client.request('GET', `/contacts/${id}`);
      expect(saved.body).toMatchObject({ company: 'NASA', phones: [], version: 2 });
    },
  );
});

test('a delete of a contact changed elsewhere meets 412: not deleted, the change shown', async ({
  page,
  signIn,
  workerUser,
  api,
}, testInfo) => {
  test.slow();
  const name = `Dorothy Vaughan ${testInfo.testId.slice(0, 6)}`;
  await withContact(
    () => api(workerUser),
    { name },
    async (id, client) => {
      const first = new ContactsPage(page);
      await page.goto('/');
      await signIn(page, workerUser);
      await first.openWithEditing(`/contacts/${id}`);
      await expect(first.detail.getByRole('heading', { name, level: 2 })).toBeVisible();

      // Changed elsewhere (an API client: another tab of this browser would tell this one at
      // once) while this page still shows the old version.
      const read = await client.request('GET', `/contacts/${id}`);
      const changed = await client.request('PUT', `/contacts/${id}`, {
        body: { name, company: 'Langley' },
        headers: { 'if-match': read.headers.get('etag') ?? '' },
      });
      expect(changed.status).toBe(200);
      await expect(first.detail.getByText('Langley')).toHaveCount(0);

      await first.deleteOpenContact(name);
      await expect(page.getByRole('alert')).toContainText(
        `${name} was not deleted: This contact was changed somewhere else since you opened it.`,
      );
      // The contact is back in the list and reloaded with the other tab's change.
      await expect(first.row(name)).toBeVisible();
      await expect(first.detail.getByText('Langley')).toBeVisible();
      const still = await client.request('GET', `/contacts/${id}`);
      expect(still.status).toBe(200);
      expect(still.body).toMatchObject({ company: 'Langley', version: 2 });
    },
  );
});
