// sam gets 10,000 generated contacts (the API's seed:scale script, run once here rather than
// at every e2e start); the list stays virtualized while he searches and scrolls to the end.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { deleteContactViaApi } from './contacts-cleanup.ts';
import { e2eEnv, serverEnv } from './e2e-env.ts';
import { expect, test } from './fixtures.ts';
import { ContactsPage } from './pages/contacts-page.ts';

const MAX_ROWS_IN_DOM = 100;

// One worker for the file: its seed is run once (two at once would each add contacts).
test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(120_000); // ~5 s of CPU, much longer on a busy machine; idempotent
  await promisify(execFile)('npx', ['tsx', 'servers/contacts-api/seed-scale-cli.ts', 'sam'], {
    env: { ...process.env, ...serverEnv },
  });
});

test('a user with 10,000 contacts searches, then scrolls to the very last contact', async ({
  page,
  signIn,
  users,
}) => {
  test.slow(); // a whole journey through real servers on a shared 2-core machine
  const sam = users.sam;
  if (!sam) throw new Error('no seeded user sam');
  const contacts = new ContactsPage(page);
  await page.goto('/');
  await signIn(page, sam);
  await page.goto('/contacts');
  await expect(contacts.count).toHaveText(/^10,\d{3} contacts$/, { timeout: 20_000 });
  const total = Number((await contacts.count.textContent())?.replace(/\D/g, ''));
  expect(await contacts.rows.count()).toBeLessThan(MAX_ROWS_IN_DOM);

  // Search as you type: the URL follows, only matches are listed.
  await contacts.search.pressSequentially('zoe');
  await expect(page).toHaveURL(/[?&]q=zoe$/);
  await expect(contacts.count).toHaveText(
    new RegExp(`of ${total.toLocaleString('en')} contacts match`),
  );
  const firstMatch = contacts.rows.first();
  await expect(firstMatch).toContainText(/zo[eë]/i);
  await contacts.search.clear();
  await expect(contacts.count).toHaveText(`${total.toLocaleString('en')} contacts`);

  // Scroll to the end: the last row is the last contact, and the DOM still holds few rows.
  await contacts.scroller.evaluate((element) => {
    element.scrollTop = element.scrollHeight;
  });
  const last = contacts.list.locator(`li[aria-posinset="${total}"]`);
  await expect(last).toBeVisible();
  await expect(last).toHaveAttribute('aria-setsize', String(total));
  expect(await contacts.rows.count()).toBeLessThan(MAX_ROWS_IN_DOM);

  // The last row is the one the API lists last.
  const lastName = (await last.locator('.contact-name').textContent()) ?? '';
  await contacts.search.fill(lastName);
  await expect(contacts.row(lastName).first()).toBeVisible();
});

test('a contact added elsewhere while scrolled halfway: the view stays on the same rows', async ({
  page,
  signIn,
  users,
  api,
}, testInfo) => {
  test.slow(); // 10,000 contacts loaded, then all read again by the refresh
  const sam = users.sam;
  if (!sam) throw new Error('no seeded user sam');
  const contacts = new ContactsPage(page);
  await page.goto('/');
  await signIn(page, sam);
  await page.goto('/contacts');
  await expect(contacts.count).toHaveText(/^10,\d{3} contacts$/, { timeout: 20_000 });
  const total = Number((await contacts.count.textContent())?.replace(/\D/g, ''));
  await contacts.scroller.evaluate((element) => {
    element.scrollTop = element.scrollHeight / 2;
  });
  /** The name in the row at the top of the view, as the user sees it. */
  const topRow = () =>
    contacts.scroller.evaluate((element) => {
      const box = element.getBoundingClientRect();
      const hit = document.elementFromPoint(box.left + 20, box.top + 5);
      return hit?.closest('li')?.querySelector('.contact-name')?.textContent ?? null;
    });
  await expect.poll(topRow).not.toBeNull();
  const before = await topRow();

  // Sorts first, so it lands above the view.
  const client = await api(sam);
  const created = await client.request<{ id: string }>('POST', '/contacts', {
    body: { name: `Aaron Fresh ${testInfo.testId.slice(0, 6)}` },
  });
  expect(created.status).toBe(201);
  try {
    const refreshed = page.waitForResponse(
      (r) => r.url().startsWith(`${e2eEnv.apiUrl}/contacts?`) && r.status() === 200,
    );
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await refreshed;
    await expect(contacts.count).toHaveText(`${(total + 1).toLocaleString('en')} contacts`);
    expect(await topRow()).toBe(before);
  } finally {
    await deleteContactViaApi(await api(sam), created.body.id);
  }
});
