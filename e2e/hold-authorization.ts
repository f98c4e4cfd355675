import { expect, type Page } from '@playwright/test';

/**
 * Runs `start` (which sends the browser to `issuer`'s authorization endpoint) but holds that
 * navigation: the browser stays on the app (a 204 answers the navigation), and the URL it
 * would have opened is returned, for the test to open later.
 */
export async function holdAuthorization(
  page: Page,
  issuer: string,
  start: () => Promise<void>,
): Promise<string> {
  const pattern = `${issuer}/auth?**`;
  let held = '';
  await page.route(pattern, (route) => {
    held = route.request().url();
    return route.fulfill({ status: 204 });
  });
  await start();
  await expect.poll(() => held).not.toBe('');
  await page.unroute(pattern);
  return held;
}
