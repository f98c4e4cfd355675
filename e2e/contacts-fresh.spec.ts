// The list stays fresh without a reload: another tab's create, edit and delete show at once
// (pending first, rolled back when refused) without a request of this tab; a change made
// through the API elsewhere shows when the page gets focus (a 304 while nothing changed);
// an open edit form says its contact changed or went before the user saves.
import type { Page, Request } from '@playwright/test';
import type { ContactsApi } from './contacts-api-client.ts';
import { deleteContactViaApi } from './contacts-cleanup.ts';
import { e2eEnv, expect, test } from './fixtures.ts';
import { ContactsPage } from './pages/contacts-page.ts';

/** GETs of the contacts list (not of one contact) this page sends to the API. */
function listRequestsOf(page: Page): Request[] {
  const seen: Request[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === e2eEnv.apiUrl && url.pathname === '/contacts' && request.method() === 'GET')
      seen.push(request);
  });
  return seen;
}

/** What a focus of the page does: a refresh answered by the API (whose status is returned). */
async function focusAndRefresh(page: Page): Promise<number> {
  const answered = page.waitForResponse(
    (r) => r.url().startsWith(`${e2eEnv.apiUrl}/contacts?`) && r.request().method() === 'GET',
  );
  await page.evaluate(() => window.dispatchEvent(new Event('focus')));
  return (await answered).status();
}

async function createViaApi(client: ContactsApi, name: string): Promise<string> {
  const created = await client.request<{ id: string }>('POST', '/contacts', { body: { name } });
  expect(created.status).toBe(201);
  return created.body.id;
}

test("one tab sees another's create, edit and delete at once, without asking the API", async ({
  context,
  page,
  signIn,
  workerUser,
  api,
}, testInfo) => {
  const name = `Mary Somerville ${testInfo.testId.slice(0, 6)}`;
  const first = new ContactsPage(page);
  await page.goto('/');
  await signIn(page, workerUser);
  await first.openWithEditing('/contacts');
  const otherPage = await context.newPage();
  const other = new ContactsPage(otherPage);
  const otherListRequests = listRequestsOf(otherPage);
  await otherPage.goto('/contacts');
  await expect(other.heading).toBeVisible();
  await expect(other.rows.first()).toBeVisible();
  expect(otherListRequests.length).toBeGreaterThan(0); // positive control: its own load is seen
  otherListRequests.length = 0;
  let id: string | undefined;
  try {
    // Create: pending in the other tab while the API has not answered, then saved.
    let answerCreate = () => {};
    const createHeld = new Promise<void>((resolve) => {
      answerCreate = resolve;
    });
    await page.route(`${e2eEnv.apiUrl}/contacts`, async (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      await createHeld;
      await route.fallback();
    });
    await first.newContact.click();
    await first.field('Name *').fill(name);
    await page.getByRole('button', { name: 'Create contact' }).click();
    await expect(other.row(name)).toHaveClass(/saving/);
    answerCreate();
    await expect(other.row(name)).not.toHaveClass(/saving/);
    await expect(first.detail.getByRole('heading', { name, level: 2 })).toBeVisible();
    id = new URL(page.url()).pathname.split('/').pop();

    // Edit: the other tab's row shows the new company.
    await page.getByRole('link', { name: 'Edit' }).click();
    await first.field('Company').fill('Royal Society');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(other.row(name)).toContainText('Royal Society');

    // A refused delete: gone in the other tab while it is on its way, then back.
    let refuseDelete = () => {};
    const deleteHeld = new Promise<void>((resolve) => {
      refuseDelete = resolve;
    });
    await page.route(`${e2eEnv.apiUrl}/contacts/*`, async (route) => {
      if (route.request().method() !== 'DELETE') return route.fallback();
      await deleteHeld;
      await route.fulfill({ status: 503, contentType: 'application/problem+json', body: '{}' });
    });
    await first.deleteOpenContact(name);
    await expect(other.row(name)).toHaveCount(0);
    refuseDelete();
    await expect(page.getByRole('alert')).toContainText(`${name} was not deleted`);
    await expect(other.row(name)).toBeVisible();
    await page.unroute(`${e2eEnv.apiUrl}/contacts/*`);

    // Delete: gone in the other tab.
    await first.deleteOpenContact(name);
    await expect(first.row(name)).toHaveCount(0);
    await expect(other.row(name)).toHaveCount(0);
    expect(otherListRequests).toEqual([]); // all heard from the first tab
  } finally {
    if (id) await deleteContactViaApi(await api(workerUser), id);
  }
});

test('a change made through the API elsewhere shows on focus; search and selection stay', async ({
  page,
  signIn,
  workerUser,
  api,
}, testInfo) => {
  const name = `Worker Herschel ${testInfo.testId.slice(0, 6)}`;
  const contacts = new ContactsPage(page);
  await page.goto('/');
  await signIn(page, workerUser);
  await page.goto('/contacts');
  const seeded = contacts.rows.first().getByRole('link');
  await seeded.click();
  await expect(seeded).toHaveAttribute('aria-current', 'page');
  await contacts.search.fill('worker');
  expect(await focusAndRefresh(page)).toBe(304); // nothing changed: no body

  const client = await api(workerUser);
  const id = await createViaApi(client, name);
  try {
    await expect(contacts.row(name)).toHaveCount(0); // not before it asks
    expect(await focusAndRefresh(page)).toBe(200);
    await expect(contacts.row(name)).toBeVisible();
    await expect(contacts.search).toHaveValue('worker');
    await expect(page).toHaveURL(/[?&]q=worker/);
    await expect(contacts.list.locator('[aria-current="page"]')).toHaveCount(1);
  } finally {
    await deleteContactViaApi(client, id);
  }
  expect(await focusAndRefresh(page)).toBe(200);
  await expect(contacts.row(name)).toHaveCount(0);
});

test('an open edit form says its contact changed, then went, elsewhere; the input stays', async ({
  page,
  signIn,
  workerUser,
  api,
}, testInfo) => {
  const name = `Emmy Noether ${testInfo.testId.slice(0, 6)}`;
  const contacts = new ContactsPage(page);
  const client = await api(workerUser);
  const id = await createViaApi(client, name);
  try {
    await page.goto('/');
    await signIn(page, workerUser);
    await contacts.openWithEditing(`/contacts/${id}/edit`);
    await contacts.field('Notes').fill('typed here, not saved');
    const notice = contacts.detail.getByRole('status').filter({ hasText: 'somewhere else' });
    await expect(notice).toHaveCount(0);

    const read = await client.request('GET', `/contacts/${id}`);
    const etag = read.headers.get('etag') ?? '';
    const put = await client.request('PUT', `/contacts/${id}`, {
      body: { name, company: 'Erlangen' },
      headers: { 'if-match': etag },
    });
    expect(put.status).toBe(200);
    await focusAndRefresh(page);
    await expect(notice).toContainText('This contact was changed somewhere else');
    await expect(contacts.field('Notes')).toHaveValue('typed here, not saved');

    await deleteContactViaApi(client, id);
    await focusAndRefresh(page);
    await expect(notice).toContainText('This contact was deleted somewhere else');
    await expect(contacts.field('Notes')).toHaveValue('typed here, not saved');
  } finally {
    await deleteContactViaApi(client, id);
  }
});
