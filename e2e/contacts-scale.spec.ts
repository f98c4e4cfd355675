// sam gets 10,000 generated contacts (the API's seed:scale script, run once here rather than
// at every e2e start); the list stays virtualized while he searches and scrolls to the end.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { serverEnv } from './e2e-env.ts';
import { expect, test } from './fixtures.ts';
import { ContactsPage } from './pages/contacts-page.ts';

const MAX_ROWS_IN_DOM = 100;

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
