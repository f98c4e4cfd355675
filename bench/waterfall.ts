// The request waterfall of one sign-in, from Chromium's own network events: every request
// from the callback document until the first contact is painted, and how many of them had
// to wait for one another.
import type { BrowserContext, CDPSession } from '@playwright/test';

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
export async function recordNetwork(cdp: CDPSession): Promise<Map<string, Timed>> {
  const requests = new Map<string, Timed>();
  await cdp.send('Network.enable');
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
 * One sign-in in a fresh context: home page, "Sign in", the IdP's login (and consent if
 * asked), back through /callback until the first `.contact-name` is painted.
 */
export async function measureSignIn(context: BrowserContext, target: Target): Promise<Measured> {
  const page = await context.newPage();
  // Marks when the first contact is painted, on the page's own clock.
  await page.addInitScript(() => {
    const observer = new MutationObserver(() => {
      if (document.querySelector('.contact-name')) {
        (window as unknown as { contactsShownAt: number }).contactsShownAt = performance.now();
        observer.disconnect();
      }
    });
    document.addEventListener('DOMContentLoaded', () =>
      observer.observe(document.body, { childList: true, subtree: true }),
    );
  });
  await page.goto(target.origin);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByLabel('Username').fill(target.user.username);
  await page.getByLabel('Password').fill(target.user.password);
  const cdp = await context.newCDPSession(page);
  const network = await recordNetwork(cdp);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const allow = page.getByRole('button', { name: 'Allow', exact: true });
  const contacts = page.locator('.contact-name').first();
  await allow.or(contacts).waitFor();
  if (await allow.isVisible()) await allow.click();
  await contacts.waitFor();
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
  const all = [...network.values()];
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
  return { depth: sequentialDepth(requests, contactsGet), ms, requests, marks };
}
