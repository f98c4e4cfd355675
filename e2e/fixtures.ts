// Fixtures QA can reuse (e2e/README.md): page objects for the app and the test IdP, the
// seeded users (one per parallel worker), sign-in through the real pages, the IdP's test
// controls, direct access to the contacts API, and two automatic guards: no token may show
// up in a URL, an address, the console or a page, of any context (token-leak-guard.ts); and
// on failure the IdP's log is attached.
import { test as base, expect, type Page, type TestInfo } from '@playwright/test';
import { type DemoUser, demoUsers } from '../servers/demo-data.ts';
import { trackIssuedTokens } from './app-session.ts';
import { type ContactsApi, contactsApiAs } from './contacts-api-client.ts';
import { e2eEnv, provider, secondIdp } from './e2e-env.ts';
import { IdpControl } from './idp-control.ts';
import { AppPage } from './pages/app-page.ts';
import { IdpConsentPage, IdpLoginPage, IdpLogoutPage } from './pages/idp-pages.ts';
import { type SignInOptions, signInThroughPages, type TestUser } from './sign-in-flow.ts';
import { TokenLeakGuard } from './token-leak-guard.ts';

export type { ConsentChoice, SignInOptions, TestUser } from './sign-in-flow.ts';
export { attemptSignIn } from './sign-in-flow.ts';
export { e2eEnv, expect, provider, secondIdp };

/** Seeded users by username (servers/demo-data.ts). */
export const users: Readonly<Record<string, DemoUser>> = Object.fromEntries(
  demoUsers.map((user) => [user.username, user]),
);

export function demoUser(username: string): DemoUser {
  const user = users[username];
  if (!user) throw new Error(`no seeded user "${username}"`);
  return user;
}

const workerUsers = demoUsers.filter((user) => /^worker\d+$/.test(user.username));

/**
 * A worker past the seeded ones (more than 8 workers): an account like theirs made at the
 * IdP, with two contacts of its own as the seeded workers have.
 */
async function extraWorkerUser(n: number): Promise<TestUser> {
  const control = idpControl();
  if (!control) throw new Error(`worker ${n} needs the test IdP's controls to make its user`);
  const user = { username: `worker${n}`, password: `worker${n}-e2e-password`, name: `Worker ${n}` };
  const account = await control.ensureAccount(user);
  if (account.created) {
    const api = await contactsApiAs(user);
    for (const name of [`Worker ${n} Contact A`, `Worker ${n} Contact B`]) {
      const created = await api.request('POST', '/contacts', { body: { name } });
      if (created.status !== 201)
        throw new Error(`worker ${n}: contact not made (${created.status})`);
    }
  }
  return user;
}

/** The control client, for specs that reach the IdP (or the second one) outside of fixtures. */
export function idpControl(issuer: string = e2eEnv.idpIssuer): IdpControl | undefined {
  const secret = process.env.E2E_IDP_TEST_SECRET;
  return provider.external || !secret ? undefined : new IdpControl(issuer, secret);
}

interface Fixtures {
  app: AppPage;
  idpLogin: IdpLoginPage;
  idpConsent: IdpConsentPage;
  idpLogout: IdpLogoutPage;
  /** The test IdP's controls. A test that uses it is skipped against an external provider. */
  idp: IdpControl;
  /** Seeded users by username; their IdP data is local-only (skipped externally). */
  users: Readonly<Record<string, DemoUser>>;
  /** Signs `user` in on `page` through the real pages; see SignInOptions for consent. */
  signIn: (page: Page, user: TestUser, options?: SignInOptions) => Promise<void>;
  /** The contacts API as `user`, with a real access token (local IdP only). */
  api: (user: Pick<TestUser, 'username' | 'password'>) => Promise<ContactsApi>;
  /**
   * Runs after every test: no token in a URL, an address, the console or a page, in this
   * context or one the test made. A planted-leak test reads it (e2e/token-leak-guard.spec.ts).
   */
  tokenLeakGuard: TokenLeakGuard;
  idpLogOnFailure: undefined;
  resetUsersAfterTest: undefined;
}

/** A user of one worker and one purpose, made at the IdP (ownUser). */
export interface OwnUser extends TestUser {
  sub: string;
}

export type OwnUserMaker = (
  purpose: string,
  options?: { entitlements?: ('contacts:read' | 'contacts:write')[]; name?: string },
) => Promise<OwnUser>;

interface WorkerFixtures {
  /** This worker's own user (read + write): no other worker signs in as them at the same time. */
  workerUser: TestUser;
  /**
   * A user of this worker's own for `purpose` (e.g. 'consent-reader'), made at the test IdP
   * on first use: `<purpose>-w<parallel index>`, so no other worker, and no spec that names
   * another purpose, ever signs in as them, at any worker count. Reset after every test.
   */
  ownUser: OwnUserMaker;
  /** Usernames to reset after each test (the worker's user and every own user made). */
  usersToReset: Set<string>;
}

/** The provider's end-session endpoint, when its logout is asked with id_token_hint. */
async function idTokenHintEndpoint(): Promise<string | undefined> {
  const logout = provider.external ? provider.settings.logout : undefined;
  if ((logout as { request?: string } | undefined)?.request !== 'id_token_hint') return undefined;
  const discovery = await fetch(`${provider.issuer}/.well-known/openid-configuration`);
  const { end_session_endpoint } = (await discovery.json()) as { end_session_endpoint?: string };
  return end_session_endpoint;
}

function skipWithoutControls(testInfo: TestInfo) {
  testInfo.skip(provider.external, 'needs the test IdP and its controls');
}

export const test = base.extend<Fixtures, WorkerFixtures>({
  app: async ({ page }, use) => use(new AppPage(page)),
  idpLogin: async ({ page }, use) => use(new IdpLoginPage(page)),
  idpConsent: async ({ page }, use) => use(new IdpConsentPage(page)),
  idpLogout: async ({ page }, use) => use(new IdpLogoutPage(page)),

  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this pattern
  idp: async ({}, use, testInfo) => {
    skipWithoutControls(testInfo);
    const control = idpControl();
    if (!control) throw new Error('E2E_IDP_TEST_SECRET is not set (see e2e/e2e-env.ts)');
    await use(control);
  },

  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this pattern
  users: async ({}, use, testInfo) => {
    skipWithoutControls(testInfo);
    await use(users);
  },

  usersToReset: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this pattern
    async ({}, use) => use(new Set<string>()),
    { scope: 'worker' },
  ],

  workerUser: [
    async ({ usersToReset }, use, workerInfo) => {
      // parallelIndex, not workerIndex: it stays the same when a worker is restarted.
      const user = provider.external
        ? provider.account
        : (workerUsers[workerInfo.parallelIndex] ??
          (await extraWorkerUser(workerInfo.parallelIndex + 1)));
      if (!provider.external) usersToReset.add(user.username);
      await use(user);
    },
    { scope: 'worker' },
  ],

  ownUser: [
    async ({ usersToReset }, use, workerInfo) => {
      const made = new Map<string, OwnUser>();
      await use(async (purpose, options = {}) => {
        const control = idpControl();
        if (!control) throw new Error('ownUser needs the test IdP and its controls');
        const username = `${purpose}-w${workerInfo.parallelIndex}`;
        const known = made.get(username);
        if (known) return known;
        const password = `${username}-e2e-password`;
        const name = options.name ?? `Own ${purpose} ${workerInfo.parallelIndex}`;
        const account = await control.ensureAccount({
          username,
          password,
          name,
          entitlements: options.entitlements,
        });
        const user = { username, password, name, sub: account.sub };
        made.set(username, user);
        usersToReset.add(username);
        return user;
      });
    },
    { scope: 'worker' },
  ],

  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this pattern
  signIn: async ({}, use) => use(signInThroughPages),

  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this pattern
  api: async ({}, use, testInfo) => {
    skipWithoutControls(testInfo);
    await use((user) => contactsApiAs(user));
  },

  tokenLeakGuard: [
    async ({ browser, context }, use) => {
      trackIssuedTokens(context); // for storedUser(page), app-session.ts
      const guard = new TokenLeakGuard();
      const endSession = await idTokenHintEndpoint();
      if (endSession) guard.allowIdTokenHintAt(endSession);
      guard.watch(context);
      const stopWatchingNewContexts = guard.watchNewContexts(browser);
      try {
        await use(guard);
      } finally {
        stopWatchingNewContexts();
      }
      await guard.check();
    },
    { auto: true },
  ],

  resetUsersAfterTest: [
    async ({ usersToReset }, use) => {
      await use(undefined);
      // The next test of this worker starts without this one's faults, counters or lifetimes.
      const control = idpControl();
      if (control) await Promise.all([...usersToReset].map((name) => control.resetUser(name)));
    },
    { auto: true },
  ],

  idpLogOnFailure: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this pattern
    async ({}, use, testInfo) => {
      const control = idpControl();
      const since = control
        ? (await control.allLog({ since: Number.MAX_SAFE_INTEGER })).lastSeq
        : 0;
      await use(undefined);
      if (!control || testInfo.status === testInfo.expectedStatus) return;
      // Entries of every user are included (labelled): parallel tests may interleave.
      const { entries } = await control.allLog({ since });
      const lines = entries.map(
        (e) => `${e.at} #${e.seq} ${e.user ?? '-'} ${e.client ?? '-'} ${e.event} ${e.detail ?? ''}`,
      );
      await testInfo.attach('idp-log.txt', {
        body: lines.join('\n') || '(nothing logged)',
        contentType: 'text/plain',
      });
    },
    { auto: true },
  ],
});
