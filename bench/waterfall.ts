// The request waterfall of one sign-in, from Chromium's own network events: every request
// from the callback document until the first contact is painted, and how many of them had
// to wait for one another.
import type { BrowserContext, CDPSession, Page } from '@playwright/test';

export interface Timed {
  id: string;
  url: string;
  method: string;
  type: string;
  start: number;
  end: number;
  fromCache: boolean;
}

/** Collects network timings from Chromium itself, preflights included. */
export async function recordNetwork(
  cdp: CDPSession,
  { latencyMs = 0 }: { latencyMs?: number } = {},
): Promise<Map<string, Timed>> {
  const requests = new Map<string, Timed>();
  await cdp.send('Network.enable');
  if (latencyMs > 0) {
    // Chromium's own throttling: each request that reaches the network waits this long for
    // its answer; cache hits do not, as on a real connection.
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: latencyMs,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
  }
  cdp.on('Network.requestWillBeSent', (event) => {
    // Redirect hops reuse the id; the last hop is what the page waited for.
    requests.set(event.requestId, {
      id: event.requestId,
      url: event.request.url,
      method: event.request.method,
      type: event.type ?? 'Other',
      start: event.timestamp * 1000,
      end: Number.NaN,
      fromCache: false,
    });
  });
  cdp.on('Network.requestServedFromCache', (event) => {
    const request = requests.get(event.requestId);
    if (request) request.fromCache = true;
  });
  cdp.on('Network.responseReceived', (event) => {
    const request = requests.get(event.requestId);
    if (request && event.response.fromDiskCache) request.fromCache = true;
  });
  cdp.on('Network.loadingFinished', (event) => {
    const request = requests.get(event.requestId);
    if (request) request.end = event.timestamp * 1000;
  });
  cdp.on('Network.loadingFailed', (event) => {
    const request = requests.get(event.requestId);
    if (request) request.end = event.timestamp * 1000;
  });
  return requests;
}

/**
 * Round trips on the critical path: the longest chain of requests, each starting after the
 * previous one finished, that ends with the contacts GET. A CORS preflight counts as its own
 * round trip: the GET it guards leaves only when the preflight has answered.
 */
export function sequentialDepth(requests: Timed[], target: Timed): number {
  const preflight = requests.find((r) => r.method === 'OPTIONS' && r.url === target.url);
  const effectiveStart = (r: Timed) =>
    r === target && preflight ? Math.max(r.start, preflight.end) : r.start;
  const sorted = [...requests].sort((a, b) => a.end - b.end);
  const depth = new Map<Timed, number>();
  for (const request of sorted) {
    const start = effectiveStart(request);
    const before = sorted.filter(
      (other) => other !== request && other.end <= start && depth.has(other),
    );
    depth.set(request, 1 + Math.max(0, ...before.map((other) => depth.get(other) ?? 0)));
  }
  return depth.get(target) ?? 0;
}

export interface Measured {
  depth: number;
  ms: number;
  requests: Timed[];
  /** The app's own `app:` performance marks, ms from the callback document's fetch start. */
  marks: Record<string, number>;
}

interface Target {
  origin: string;
  apiUrl: string;
  user: { username: string; password: string };
}

/**
 * Home page, "Sign in", the IdP's login (and consent if asked), until the app's callback
 * document has committed. Nothing of Playwright's runs in that document afterwards: a
 * locator there would inject Playwright's script into it (≈ 330 KB to compile, 20-45 ms of
 * the measured main thread, traced) and poll the DOM while the app starts.
 */
async function signInFrom(
  page: Page,
  target: Target,
  beforeSubmit: () => Promise<unknown> = async () => undefined,
): Promise<void> {
  await page.goto(target.origin);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByLabel('Username').fill(target.user.username);
  await page.getByLabel('Password').fill(target.user.password);
  await beforeSubmit();
  const atApp = (url: URL) => url.origin === target.origin;
  // The next document is the IdP's consent page or, when consent was given before, the app.
  const next = page.waitForEvent('framenavigated', (frame) => frame === page.mainFrame());
  await page.getByRole('button', { name: 'Sign in' }).click();
  await next;
  if (!atApp(new URL(page.url()))) {
    await page.locator('button[name="decision"][value="allow"]').click();
  }
  await page.waitForURL(atApp, { waitUntil: 'commit' });
}

/**
 * Resolves once the first `.contact-name` was inserted (the init script's observer notes
 * when), asking through CDP: no Playwright script in the page.
 */
async function whenContactsShown(cdp: CDPSession): Promise<void> {
  const expression = `Promise.race([window.contactsShown, new Promise((_, reject) =>
    setTimeout(() => reject(new Error('no contact shown within 30 s')), 30000))])`;
  const evaluate = () => cdp.send('Runtime.evaluate', { expression, awaitPromise: true });
  for (let attempt = 0; ; attempt++) {
    let answer: Awaited<ReturnType<typeof evaluate>>;
    try {
      answer = await evaluate();
    } catch (error) {
      // Asked while the previous document was going away: ask the new one.
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    if (answer.exceptionDetails) {
      throw new Error(answer.exceptionDetails.exception?.description ?? 'no contact shown');
    }
    return;
  }
}

/**
 * A returning user: this browser profile signed in before, so its HTTP cache, V8's code
 * cache and the CORS preflight cache are warm, but it holds no session now (no cookie at the
 * IdP, nothing in the app's storage), as after signing out.
 */
async function visitBefore(context: BrowserContext, target: Target): Promise<void> {
  const visit = await context.newPage();
  await signInFrom(visit, target);
  await visit.locator('.contact-name').first().waitFor();
  await visit.close();
  await context.clearCookies();
  // On a page of the origin that runs no app, so no database is held open.
  const cleaner = await context.newPage();
  await cleaner.goto(`${target.origin}/favicon.svg`);
  await cleaner.evaluate(`(async () => {
    localStorage.clear();
    sessionStorage.clear();
    for (const { name } of await indexedDB.databases()) {
      await new Promise((done) => {
        const request = indexedDB.deleteDatabase(name);
        request.onsuccess = request.onerror = request.onblocked = done;
      });
    }
  })()`);
  await cleaner.close();
}

/**
 * One sign-in, back through /callback until the first `.contact-name` is painted: in a fresh
 * context (a first visit), or after `visitBefore` (a returning user).
 */
export async function measureSignIn(
  context: BrowserContext,
  target: Target,
  { returning = false, latencyMs = 0 }: { returning?: boolean; latencyMs?: number } = {},
): Promise<Measured> {
  if (returning) await visitBefore(context, target);
  const page = await context.newPage();
  // Marks when the first contact is painted, on the page's own clock.
  await page.addInitScript(() => {
    const shown = window as unknown as { contactsShownAt: number; contactsShown: Promise<void> };
    shown.contactsShown = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (document.querySelector('.contact-name')) {
          shown.contactsShownAt = performance.now();
          observer.disconnect();
          resolve();
        }
      });
      document.addEventListener('DOMContentLoaded', () =>
        observer.observe(document.body, { childList: true, subtree: true }),
      );
    });
  });
  const cdp = await context.newCDPSession(page);
  let network: Map<string, Timed> | undefined;
  await signInFrom(page, target, async () => {
    network = await recordNetwork(cdp, { latencyMs });
  });
  await whenContactsShown(cdp);
  // A string, not a function: tsx's helpers (__name) do not exist in the page.
  const { ms, marks } = (await page.evaluate(`(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const shownAt = window.contactsShownAt;
    const since = (at) => Math.round(at - nav.fetchStart);
    const marks = {
      'document received': since(nav.responseEnd),
      'DOMContentLoaded': since(nav.domContentLoadedEventEnd),
    };
    for (const mark of performance.getEntriesByType('mark')) {
      if (mark.name.startsWith('app:')) marks[mark.name] = since(mark.startTime);
    }
    marks['first contact painted'] = since(shownAt);
    return { ms: shownAt - nav.fetchStart, marks };
  })()`)) as { ms: number; marks: Record<string, number> };
  const all = [...(network?.values() ?? [])];
  const callback = all.find((r) => r.url.startsWith(`${target.origin}/callback`));
  if (!callback) throw new Error('no callback document request recorded');
  const requests = all.filter(
    (r) =>
      r.start >= callback.start &&
      !r.fromCache &&
      Number.isFinite(r.end) &&
      // The tab icon is fetched beside the app; nothing waits for it.
      !r.url.endsWith('/favicon.svg') &&
      !r.url.endsWith('/favicon.ico'),
  );
  const contactsGet = requests.find(
    (r) => r.method === 'GET' && r.url.startsWith(`${target.apiUrl}/contacts`),
  );
  if (!contactsGet) throw new Error('no contacts request recorded');
  // The network's side of the timeline (Chromium's clock, from the callback request).
  const token = requests.find((r) => r.method === 'POST' && new URL(r.url).pathname === '/token');
  const since = (at: number) => Math.round(at - callback.start);
  if (token) {
    marks['net: token request sent'] = since(token.start);
    marks['net: token response in'] = since(token.end);
  }
  marks['net: contacts GET sent'] = since(contactsGet.start);
  marks['net: contacts GET answered'] = since(contactsGet.end);
  return { depth: sequentialDepth(requests, contactsGet), ms, requests, marks };
}
