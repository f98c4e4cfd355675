// A real 429 end to end: one user (worker1) over the per-user limit, counted in Redis across
// the three replicas behind the proxy, while another user (worker2) is served at the same
// moment; and the app, told to slow down, says so and sends the create again once the
// Retry-After has passed, with everything the user typed.
import { expect, test } from '@playwright/test';
import { findDemoUser } from '../../servers/demo-data.ts';
import { type ApiResponse, type ContactsApi, contactsApiAs } from '../contacts-api-client.ts';
import { AppPage } from '../pages/app-page.ts';
import { ContactsPage } from '../pages/contacts-page.ts';
import { IdpConsentPage, IdpLoginPage } from '../pages/idp-pages.ts';
import { rateLimit, urls } from './replicas-env.ts';

const env = { idpIssuer: urls.idp, spaOrigin: urls.spa, apiUrl: urls.api };
const limitedUser = findDemoUser('worker1');
const otherUser = findDemoUser('worker2');
if (!limitedUser || !otherUser) throw new Error('no demo users worker1 and worker2');

/** Spends `api`'s user's budget through the proxy, 8 requests at a time, until a 429. */
async function spendBudget(api: ContactsApi): Promise<ApiResponse> {
  for (let sent = 0; sent <= 2 * rateLimit.perUser; sent += 8) {
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => api.request('GET', '/contacts?limit=1')),
    );
    const limited = answers.find((answer) => answer.status === 429);
    if (limited) return limited;
    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(200));
  }
  throw new Error(`no 429 after ${2 * rateLimit.perUser} requests`);
}

test('one user over the limit gets 429 while another gets 200; the app waits it out, keeping what was typed', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const app = new AppPage(page);
  const contacts = new ContactsPage(page);
  await page.goto('/');
  await app.signIn.click();
  await new IdpLoginPage(page).signIn(limitedUser);
  const consent = new IdpConsentPage(page);
  await expect(consent.heading).toBeVisible();
  await consent.allow.click();
  await expect(app.identity).toContainText(limitedUser.name);
  await page.goto('/contacts');
  await contacts.askForEditing('allow');
  await contacts.newContact.click();
  const name = `Typed while limited ${Date.now()}`;
  await contacts.field('Name *').fill(name);
  await contacts.field('Emails').fill('patient@example.test');

  // The same user from elsewhere (a token of their own) spends the budget; another user too is
  // signed in. Tokens live 10 s here: both are used at once.
  const [limited, other] = await Promise.all([
    contactsApiAs(limitedUser, undefined, env),
    contactsApiAs(otherUser, undefined, env),
  ]);
  const refused = await spendBudget(limited);
  expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(refused.body).toMatchObject({ status: 429, title: 'Too Many Requests' });
  expect(String((refused.body as { detail: string }).detail)).toContain('for your account');
  const retryAfter = Number(refused.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(rateLimit.windowSeconds);
  // At the same moment, through the same proxy and replicas: worker1 refused, worker2 served.
  const [again, served] = await Promise.all([
    limited.request('GET', '/contacts?limit=1'),
    other.listContacts(),
  ]);
  expect(again.status).toBe(429);
  expect(served.status).toBe(200);

  // The app's create meets the same limit: the browser gets the 429 (and can read its
  // Retry-After through CORS), the app says it is slowing down, the form keeps its values...
  const limitedInBrowser = page.waitForResponse(
    (response) => response.url().startsWith(urls.api) && response.status() === 429,
  );
  await page.getByRole('button', { name: 'Create contact' }).click();
  const answer = await limitedInBrowser;
  expect(Number(await answer.headerValue('retry-after'))).toBeGreaterThanOrEqual(1);
  const notice = page.getByRole('status').filter({ hasText: 'asked this app to slow down' });
  await expect(notice).toBeVisible();
  await expect(contacts.field('Name *')).toHaveValue(name);
  // ...and sends it again once the window has passed: created, with what was typed, once.
  await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible({
    timeout: (rateLimit.windowSeconds + 10) * 1000,
  });
  await expect(contacts.detail.getByText('patient@example.test')).toBeVisible();
  await expect(notice).toBeHidden();
  await expect(contacts.row(name)).toHaveCount(1);
});
