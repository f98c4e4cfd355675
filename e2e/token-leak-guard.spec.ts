// The token-leak guard (e2e/token-leak-guard.ts) runs after every test; these are its
// positive controls: real tokens of a session, planted in each place it looks, are reported
// there, and only there (the test names what it planted, so the final check expects exactly
// that); and the shared reader of token responses (token-responses.ts) is waited for, by the
// guard's final check and by specs reading the issued tokens, while a body is still read.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { BrowserContext, Page } from '@playwright/test';
import { storedUser, trackIssuedTokens } from './app-session.ts';
import { e2eEnv, expect, test } from './fixtures.ts';
import { TokenLeakGuard } from './token-leak-guard.ts';

async function tokensOf(page: Parameters<typeof storedUser>[0]) {
  const user = await storedUser(page);
  const { access_token, id_token, refresh_token } = user ?? {};
  if (!access_token || !id_token || !refresh_token) throw new Error('no tokens were issued');
  return { access_token, id_token, refresh_token };
}

test('a real token planted in an attribute, a field, the title, the address or another context is reported', async ({
  browser,
  page,
  signIn,
  workerUser,
  tokenLeakGuard,
}) => {
  await signIn(page, workerUser);
  const tokens = await tokensOf(page);
  // A normal sign-in leaves nothing to report.
  expect(await tokenLeakGuard.findings()).toEqual([]);

  await page.evaluate(
    (token) => document.body.setAttribute('data-planted', token),
    tokens.access_token,
  );
  await page.evaluate((token) => {
    const field = document.createElement('input'); // the value only: no attribute holds it
    document.body.append(field);
    field.value = token;
  }, tokens.refresh_token);
  await page.evaluate((token) => {
    document.title = `Contacts ${token}`;
  }, tokens.id_token);
  await page.evaluate((token) => {
    // In the address for a moment only, as a careless callback handler might leave it.
    const address = location.href;
    history.replaceState(null, '', `/contacts#leak=${token}`);
    history.replaceState(null, '', address);
  }, tokens.access_token);
  // A context the test makes itself, with its own session: its tokens are watched too.
  const other = await browser.newContext();
  const planted = [
    'access_token in attribute data-planted of <body> in page 0',
    'refresh_token in the value of <input> in page 0',
    'id_token in the title in page 0',
    'access_token in the address of page 0',
    'refresh_token in the text in page 1',
  ];
  try {
    const otherPage = await other.newPage();
    await signIn(otherPage, workerUser);
    const otherTokens = await tokensOf(otherPage);
    expect(otherTokens.refresh_token).not.toBe(tokens.refresh_token);
    await otherPage.evaluate((token) => {
      document.querySelector('main')?.append(`Your key: ${token}`);
    }, otherTokens.refresh_token);
    expect((await tokenLeakGuard.findings()).sort()).toEqual([...planted].sort());
  } finally {
    await other.close();
  }
  // A closed page has nothing left to read; what went by (an address) stays reported.
  const afterClose = planted.filter((finding) => !finding.endsWith('in page 1'));
  expect((await tokenLeakGuard.findings()).sort()).toEqual([...afterClose].sort());
  tokenLeakGuard.expectAtEnd(afterClose);
});

// Fakes of the three Playwright objects the token reader and the guard listen to, so the
// test decides when a token response's body arrives (a real one is read within
// milliseconds, mostly before anyone would look, so only a fake shows the wait).
class FakePage extends EventEmitter {
  isClosed = () => false;
  frames = () => [];
  context = () => this.owner as unknown as BrowserContext;
  owner: FakeContext | undefined;
}
class FakeContext extends EventEmitter {
  constructor(private readonly page: FakePage) {
    super();
    page.owner = this;
  }
  pages = () => [this.page];
}
function tokenResponse(body: Promise<unknown>) {
  return {
    url: () => `${e2eEnv.idpIssuer}/token`,
    request: () => ({ method: () => 'POST' }),
    headers: () => ({ 'content-type': 'application/json; charset=utf-8' }),
    json: () => body,
  };
}
/** A token response whose body the test delivers when it likes. */
function pendingTokenResponse(page: FakePage) {
  let deliver: (body: unknown) => void = () => undefined;
  const body = new Promise((resolve) => {
    deliver = resolve;
  });
  page.emit('response', tokenResponse(body));
  return deliver;
}

test('with logout by id_token_hint, only the ID token as that parameter at the end-session endpoint is allowed', async ({
  page,
  signIn,
  workerUser,
  tokenLeakGuard,
}) => {
  await signIn(page, workerUser);
  const { id_token, access_token } = await tokensOf(page);
  const endSession = `${e2eEnv.idpIssuer}/session/end`;
  tokenLeakGuard.allowIdTokenHintAt(endSession);
  const request = (url: string) =>
    page.evaluate(
      (u) =>
        fetch(u, { mode: 'no-cors' }).then(
          () => undefined,
          () => undefined,
        ),
      url,
    );
  await request(`${endSession}?id_token_hint=${id_token}&client_id=contacts-spa`);
  expect(await tokenLeakGuard.findings()).toEqual([]);
  // Positive controls: another token as the hint, the ID token at another address.
  await request(`${endSession}?id_token_hint=${access_token}`);
  await request(`${e2eEnv.idpIssuer}/elsewhere?id_token_hint=${id_token}`);
  const planted = [
    'access_token in a request URL of page 0',
    'id_token in a request URL of page 0',
  ];
  expect((await tokenLeakGuard.findings()).sort()).toEqual(planted);
  tokenLeakGuard.expectAtEnd(planted);
});

test('the final check waits for a token response body it is still reading', async () => {
  const page = new FakePage();
  const guard = new TokenLeakGuard();
  guard.watch(new FakeContext(page) as unknown as BrowserContext);
  const token = randomBytes(32).toString('base64url');
  page.emit('console', { text: () => `debug: ${token}` });
  const deliver = pendingTokenResponse(page);

  // Checked while the body is still on its way; it arrives only after the check has begun.
  const checked = guard.findings();
  deliver({ access_token: token, token_type: 'DPoP' });
  expect(await checked).toEqual(['access_token in the console of page 0']);
});

test('a spec reading the issued tokens gets the last token response, even one still being read', async () => {
  const page = new FakePage();
  const context = new FakeContext(page) as unknown as BrowserContext;
  trackIssuedTokens(context);
  const [first, second] = [randomBytes(32), randomBytes(32)].map((b) => b.toString('base64url'));
  pendingTokenResponse(page)({ access_token: first, refresh_token: 'rt-1' });
  expect((await storedUser(page as unknown as Page))?.access_token).toBe(first);

  const deliver = pendingTokenResponse(page);
  const read = storedUser(page as unknown as Page);
  deliver({ access_token: second, refresh_token: 'rt-2' });
  expect(await read).toMatchObject({ access_token: second, refresh_token: 'rt-2' });
  // The guard reading the same context knows both access tokens.
  const guard = new TokenLeakGuard();
  guard.watch(context);
  page.emit('console', { text: () => `${first} ${second}` });
  expect(await guard.findings()).toEqual(['access_token in the console of page 0']);
});
