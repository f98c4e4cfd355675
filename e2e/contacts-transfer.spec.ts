// Bringing contacts in and taking them away (issue 24): a vCard file with good and bad cards,
// imported twice (the second time nothing is added), under an enforced Trusted Types policy
// (the rest of the suite has it report-only); a CSV whose columns are mapped by hand; and an
// export imported into another user's address book, which then holds the same contacts.
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { TRUSTED_TYPES } from '../servers/spa/content-security-policy.ts';
import type { ContactsApi } from './contacts-api-client.ts';
import { deleteContactViaApi } from './contacts-cleanup.ts';
import { demoUser, e2eEnv, expect, type TestUser, test } from './fixtures.ts';
import { ContactsPage } from './pages/contacts-page.ts';

interface Stored {
  id: string;
  name: string;
  emails: string[];
  phones: string[];
  company: string | null;
  notes: string | null;
}

/** The user's contacts whose names carry `tag` (a word of its own: the API's search finds it). */
async function tagged(api: ContactsApi, tag: string): Promise<Stored[]> {
  const answer = await api.request<{ items: Stored[] }>(
    'GET',
    `/contacts?limit=200&q=${encodeURIComponent(tag)}`,
  );
  return answer.body.items;
}

const removeTagged = async (api: ContactsApi, tag: string) => {
  for (const contact of await tagged(api, tag)) await deleteContactViaApi(api, contact.id);
};

/**
 * The app's pages with Trusted Types enforced: the policy moved from report-only into the CSP.
 * A page Playwright fulfils has no address, so Chromium counts it as public and asks for
 * permission before it reaches the loopback IdP and API: granted here.
 */
async function enforceTrustedTypes(page: Page) {
  await page.context().grantPermissions(['local-network-access'], { origin: e2eEnv.spaOrigin });
  await page.route(
    (url) => url.origin === e2eEnv.spaOrigin,
    async (route) => {
      if (route.request().resourceType() !== 'document') return route.fallback();
      const response = await route.fetch();
      const headers = { ...response.headers() };
      headers['content-security-policy'] =
        `${headers['content-security-policy']}; ${TRUSTED_TYPES}`;
      delete headers['content-security-policy-report-only'];
      await route.fulfill({ response, headers });
    },
  );
}

async function openTransfer(page: Page) {
  const contacts = new ContactsPage(page);
  await contacts.openWithEditing('/contacts');
  await page.getByRole('link', { name: 'Import or export' }).click();
  await expect(page.getByRole('heading', { name: 'Import and export' })).toBeVisible();
}

/**
 * The list streams in as a long one does, and ends after the import: its first page is asked
 * for one contact, and the rest is read at once but handed to the page only on `release`
 * (what the page gets then is the list from before the import).
 */
async function slowListStream(page: Page): Promise<() => void> {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let first = true;
  await page.route(
    (url) => url.origin === e2eEnv.apiUrl && url.pathname === '/contacts',
    async (route) => {
      const url = new URL(route.request().url());
      if (route.request().method() !== 'GET') return route.fallback();
      if (first && !url.searchParams.has('cursor')) {
        first = false;
        url.searchParams.set('limit', '1');
        return route.fallback({ url: url.toString() });
      }
      if (!url.searchParams.has('cursor')) return route.fallback();
      const response = await route.fetch();
      await released;
      await route.fulfill({ response });
    },
  );
  return release;
}

const chooseFile = (page: Page, name: string, text: string | Buffer) =>
  page.getByLabel('Choose a vCard or CSV file').setInputFiles({
    name,
    mimeType: name.endsWith('.csv') ? 'text/csv' : 'text/vcard',
    buffer: typeof text === 'string' ? Buffer.from(text) : text,
  });

// A second user per worker (worker N+4), as idp-controls.spec.ts does (up to 4 workers).
const otherUser = (user: TestUser) =>
  demoUser(`worker${((Number(user.username.slice(6)) + 3) % 8) + 1}`);

test('a vCard file with 3 good and 2 bad cards: report, 3 stored; again: nothing added (Trusted Types enforced)', async ({
  page,
  signIn,
  workerUser,
  api,
}, testInfo) => {
  const tag = `vcf${testInfo.testId.slice(0, 6)}`;
  const client = await api(workerUser);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await enforceTrustedTypes(page);
  try {
    await page.goto('/');
    await signIn(page, workerUser);
    await openTransfer(page);
    const endListStream = await slowListStream(page);
    // Loaded directly: a page reached through a redirect from the IdP was not routed.
    await page.goto('/contacts/transfer');
    await expect(page.getByText('(still loading more…)')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Import and export' })).toBeVisible();
    // Positive control: the policy is enforced here (an HTML string into a sink throws).
    expect(
      await page.evaluate(() => {
        try {
          document.createElement('div').innerHTML = '<b>x</b>';
          return 'allowed';
        } catch (error) {
          return (error as Error).name;
        }
      }),
    ).toBe('TypeError');

    const file = [
      'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Ødegård ' +
        tag +
        '\r\nEMAIL:zoe@fjord.example\r\nEND:VCARD',
      'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bad Email ' + tag + '\r\nEMAIL:not an address\r\nEND:VCARD',
      // Android's 2.1, quoted-printable UTF-8.
      'BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=B1=B1=E7=94=B0=20' +
        tag +
        '\r\nTEL;CELL:+81-90-1234-5678\r\nEND:VCARD',
      'BEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:nameless@example.org\r\nEND:VCARD',
      'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:محمد ' + tag + '\r\nORG:شركة\r\nEND:VCARD',
    ].join('\r\n');
    await chooseFile(page, 'phone.vcf', file);
    await expect(
      page.getByText('phone.vcf: 3 contacts ready to import, 2 will be skipped'),
    ).toBeVisible();
    const skipped = page.getByRole('list').filter({ hasText: 'card 2' });
    await expect(skipped.getByRole('listitem')).toHaveText([
      'card 2 (line 6): emails.0 is not in a valid form (format)',
      'card 4 (line 16): name must not have fewer than 1 characters (min-length)',
    ]);
    await page.getByRole('button', { name: 'Import 3 contacts' }).click();
    await expect(
      page.getByText('3 added, 0 already there (imported before), 2 skipped.'),
    ).toBeVisible();
    const names = [`Zoë Ødegård ${tag}`, `山田 ${tag}`, `محمد ${tag}`].sort();
    const stored = await tagged(client, tag);
    expect(stored.map((c) => c.name).sort()).toEqual(names);
    // The list (beside the panel) ends streaming in, with what it read before the import;
    // yet it shows the new contacts, without a reload.
    await page.evaluate(() => Object.assign(window, { e2eSameDocument: true }));
    endListStream();
    const contacts = new ContactsPage(page);
    await expect(page.getByText('(still loading more…)')).toBeHidden();
    await contacts.search.fill(tag);
    for (const name of names) await expect(contacts.row(name)).toBeVisible();
    await expect(contacts.rows).toHaveCount(names.length);
    await contacts.row(names[0] ?? '').click();
    await expect(contacts.detail.getByRole('heading', { name: names[0], level: 2 })).toBeVisible();
    expect(await page.evaluate(() => 'e2eSameDocument' in window)).toBe(true);
    await page.getByRole('link', { name: 'Import or export' }).click();

    // The same file again: recognised, nothing added.
    await chooseFile(page, 'phone.vcf', file);
    await page.getByRole('button', { name: 'Import 3 contacts' }).click();
    await expect(
      page.getByText('0 added, 3 already there (imported before), 2 skipped.'),
    ).toBeVisible();
    expect(await tagged(client, tag)).toHaveLength(3);
    expect(errors).toEqual([]);
  } finally {
    await removeTagged(client, tag);
  }
});

test('a CSV with columns mapped by hand; an export imported by another user gives the same contacts', async ({
  page,
  browser,
  signIn,
  workerUser,
  api,
}, testInfo) => {
  const tag = `csv${testInfo.testId.slice(0, 6)}`;
  const other = otherUser(workerUser);
  const [client, otherClient] = await Promise.all([api(workerUser), api(other)]);
  try {
    await page.goto('/');
    await signIn(page, workerUser);
    await openTransfer(page);
    // Headers no program writes: the person says which column is which.
    const csv = `Rufname;Familienname;Mobil;Firma\r\nÉmile;Zola ${tag};+33 6 12 34 56 78;Éditions, "Charpentier"\r\nΑριστοτέλης;${tag};+30 210 1234567;=1+2\r\n`;
    await chooseFile(page, 'adressen.csv', csv);
    await expect(
      page.getByText('adressen.csv: 0 contacts ready to import, 2 will be skipped'),
    ).toBeVisible();
    await page.getByLabel('Field for column Rufname').selectOption('given');
    await page.getByLabel('Field for column Familienname').selectOption('family');
    await page.getByLabel('Field for column Mobil').selectOption('phone');
    await page.getByLabel('Field for column Firma').selectOption('company');
    await expect(page.getByText('adressen.csv: 2 contacts ready to import.')).toBeVisible();
    await expect(page.getByRole('cell', { name: `Émile Zola ${tag}` })).toBeVisible();
    await page.getByRole('button', { name: 'Import 2 contacts' }).click();
    await expect(
      page.getByText('2 added, 0 already there (imported before), 0 skipped.'),
    ).toBeVisible();

    // Export the search's matches as vCard, then import that file as the other user.
    await page.goto(`/contacts/transfer?q=${tag}`);
    await page.getByRole('radio', { name: `Those that match “${tag}”` }).check();
    const saved = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download vCard (.vcf)' }).click();
    const download = await saved;
    const vcf = await readFile((await download.path()) ?? '');
    expect(download.suggestedFilename()).toMatch(/^contacts-\d{4}-\d{2}-\d{2}\.vcf$/);

    const context = await browser.newContext();
    try {
      const otherPage = await context.newPage();
      await otherPage.goto(`${e2eEnv.spaOrigin}/`);
      await signIn(otherPage, other);
      await openTransfer(otherPage);
      await chooseFile(otherPage, download.suggestedFilename(), vcf);
      await otherPage.getByRole('button', { name: 'Import 2 contacts' }).click();
      await expect(otherPage.getByText('2 added, 0 already there')).toBeVisible();
    } finally {
      await context.close();
    }
    const fields = ({ name, emails, phones, company, notes }: Stored) => ({
      name,
      emails,
      phones,
      company,
      notes,
    });
    const mine = (await tagged(client, tag)).map(fields);
    expect(mine).toHaveLength(2);
    expect(mine).toContainEqual(
      expect.objectContaining({ name: `Émile Zola ${tag}`, company: 'Éditions, "Charpentier"' }),
    );
    expect((await tagged(otherClient, tag)).map(fields)).toEqual(mine);
  } finally {
    await Promise.all([removeTagged(client, tag), removeTagged(otherClient, tag)]);
  }
});
