// Signs a demo user in through the real IdP's pages, consenting when asked, and waits for
// the contacts page: shared by the benchmarks that drive the app in Chromium.
import type { Page } from '@playwright/test';

export async function signIn(
  page: Page,
  origin: string,
  user: { username: string; password: string },
): Promise<void> {
  await page.goto(origin);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const allow = page.getByRole('button', { name: 'Allow', exact: true });
  const heading = page.getByRole('heading', { name: 'Your contacts', exact: true });
  await allow.or(heading).waitFor();
  if (await allow.isVisible()) await allow.click();
  await heading.waitFor();
}
