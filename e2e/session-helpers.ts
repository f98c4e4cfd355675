// Helpers for the session specs: the app's own session log (what QA reads in the footer),
// and a watch on every API response a tab got, so "no failed call" is checked, not assumed.
import type { Page } from '@playwright/test';
import { e2eEnv } from './e2e-env.ts';
import { test } from './fixtures.ts';

/**
 * Every test of the calling spec file starts with this worker's user reset and its access
 * tokens living `seconds` (an IdP control), and leaves the user reset for the next file.
 */
export function shortAccessTokensInEachTest(seconds: number): void {
  test.beforeEach(async ({ idp, workerUser }) => {
    await idp.resetUser(workerUser.username);
    await idp.setAccessTokenTtl(workerUser.username, seconds);
  });
  test.afterEach(async ({ idp, workerUser }) => {
    await idp.resetUser(workerUser.username);
  });
}

/** How many entries of `kind` the tab's session log holds (e.g. `renewed`, `adopted`). */
export function sessionLogCount(page: Page, kind: string): Promise<number> {
  return page.locator(`.session-log li[data-kind="${kind}"]`).count();
}

/** The quiet status word in the header (`active`, `retrying`, `expired`…), or null. */
export function sessionStatus(page: Page): Promise<string | null> {
  return page
    .locator('[data-session-status]')
    .getAttribute('data-session-status', { timeout: 2_000 })
    .catch(() => null);
}

/** Every API response with status ≥ 400 the tab received, as "status url". */
export function watchApiFailures(page: Page, failures: string[] = []): string[] {
  page.on('response', (response) => {
    if (response.url().startsWith(e2eEnv.apiUrl) && response.status() >= 400) {
      failures.push(`${response.status()} ${response.url()}`);
    }
  });
  page.on('requestfailed', (request) => {
    // A navigation that supersedes another cancels its fetch; the user sees nothing.
    if (request.failure()?.errorText.includes('ERR_ABORTED')) return;
    if (request.url().startsWith(e2eEnv.apiUrl)) failures.push(`failed ${request.url()}`);
  });
  return failures;
}
