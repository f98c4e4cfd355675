// Whether a session is left in this browser after it should have ended (a refused sign-in, a
// sign-out), looked for the way someone at this browser could find one: the records the app
// keeps in IndexedDB, every open tab of the app once its session layer has settled, and the
// app opened in a new tab (which asks the open tabs for their session and would use a
// persisted refresh token at once).
import { expect, type Page, type Request } from '@playwright/test';
import { leftoverSessionRecords } from './app-session.ts';
import { e2eEnv } from './e2e-env.ts';

/**
 * What the app's header says about this tab's session, read in one go. Until the auth and
 * session layer has settled it says "Checking session…" (src/app/shell/root-layout.tsx);
 * then the layer's header shows the main navigation, with "Signed in as" only when a user is
 * there. `unavailable`: the layer could not load, so no session code runs in the tab.
 */
export type HeaderState =
  | 'not-the-app'
  | 'loading'
  | 'checking'
  | 'unavailable'
  | 'signed-in'
  | 'signed-out';

export function headerState(tab: Page): Promise<HeaderState> {
  if (!tab.url().startsWith(`${e2eEnv.spaOrigin}/`)) return Promise.resolve('not-the-app');
  return tab
    .evaluate((): HeaderState => {
      const header = document.querySelector('header');
      const text = header?.textContent ?? '';
      if (!header) return 'loading';
      if (text.includes('Checking session…')) return 'checking';
      if (text.includes('Sign-in is unavailable')) return 'unavailable';
      if (!header.querySelector('nav[aria-label="Main"]')) return 'loading';
      return text.includes('Signed in as') ? 'signed-in' : 'signed-out';
    })
    .catch((): HeaderState => 'loading'); // the tab is navigating: its document went away
}

const SETTLED_WITHOUT_SESSION = /^(signed-out|unavailable|not-the-app)$/;
const SETTLING = /^(loading|checking)$/;

/**
 * Every trace of a session left in the page's browser context, as readable findings (empty:
 * none). An open tab has `timeout` to settle without a session: a sign-out reaches the
 * other tabs by a message, and they reload. A positive control passes a short one.
 */
export async function sessionsSurviving(
  page: Page,
  { timeout = 10_000 }: { timeout?: number } = {},
): Promise<string[]> {
  const findings = (await leftoverSessionRecords(page)).map(
    (record) => `IndexedDB: ${JSON.stringify(record)}`,
  );
  const openTabs = page.context().pages();
  const tabFindings = await Promise.all(
    openTabs.map(async (tab, index) => {
      const seen = { state: 'loading' as HeaderState };
      try {
        await expect
          .poll(async () => (seen.state = await headerState(tab)), { timeout })
          .toMatch(SETTLED_WITHOUT_SESSION);
        return [];
      } catch {
        return [`open tab ${index} (${new URL(tab.url()).pathname}): ${seen.state}`];
      }
    }),
  );
  findings.push(...tabFindings.flat());

  const fresh = await page.context().newPage();
  const requests: string[] = [];
  fresh.on('request', (request: Request) => {
    const url = new URL(request.url());
    if (url.origin === new URL(e2eEnv.apiUrl).origin || url.pathname.endsWith('/token')) {
      requests.push(`${request.method()} ${url.origin}${url.pathname}`);
    }
  });
  try {
    await fresh.goto('/');
    const seen = { state: 'loading' as HeaderState };
    // Settled means the session layer has decided: after its wait for another tab's session,
    // any restore or silent sign-in. Only then is "no name in the header" worth anything.
    await expect
      .poll(async () => (seen.state = await headerState(fresh)))
      .not.toMatch(SETTLING)
      .catch(() => undefined); // reported below as the state it was stuck in
    if (seen.state !== 'signed-out') findings.push(`new tab: ${seen.state}`);
    await fresh.waitForLoadState('networkidle');
    findings.push(...requests.map((request) => `new tab: ${request}`));
  } finally {
    await fresh.close();
  }
  return findings;
}

/**
 * No session survives in this browser: nothing in IndexedDB, every open tab of the app
 * settled without one, and the app opened in a new tab settles signed out without one
 * request to the API or a token endpoint. (A new tab asks the open ones for their session,
 * so tokens left in a tab's memory would show there too.)
 */
export async function expectNoSessionSurvives(page: Page): Promise<void> {
  expect(await sessionsSurviving(page), 'a session survived').toEqual([]);
}
