// Collects every token the provider hands the browser (any JSON response to a POST carrying
// access/ID/refresh tokens, whatever the provider's token path) and, at the end of the
// test, fails if one showed up in a URL, the console or a rendered page.
import { type BrowserContext, expect, type Page } from '@playwright/test';

const TOKEN_FIELDS = ['access_token', 'id_token', 'refresh_token'];

export function watchForTokenLeaks(context: BrowserContext): () => Promise<void> {
  const tokens = new Set<string>();
  const urls: string[] = [];
  const consoleLines: string[] = [];
  const pages: Page[] = [];
  const watch = (page: Page) => {
    pages.push(page);
    page.on('console', (message) => consoleLines.push(message.text()));
    page.on('request', (request) => urls.push(request.url()));
    page.on('response', async (response) => {
      if (response.request().method() !== 'POST') return;
      if (!/json/.test(response.headers()['content-type'] ?? '')) return;
      try {
        const body = (await response.json()) as Record<string, unknown>;
        for (const key of TOKEN_FIELDS) {
          if (typeof body[key] === 'string') tokens.add(body[key]);
        }
      } catch {
        // not a token response, or the page went away first
      }
    });
  };
  context.pages().forEach(watch);
  context.on('page', watch);

  return async () => {
    for (const token of tokens) {
      const fragment = token.slice(-24);
      expect(
        urls.filter((url) => url.includes(fragment)),
        'a token appeared in a URL',
      ).toEqual([]);
      expect(
        consoleLines.filter((line) => line.includes(fragment)),
        'a token appeared in the console',
      ).toEqual([]);
      for (const page of pages.filter((p) => !p.isClosed())) {
        const text =
          (await page
            .locator('body')
            .textContent()
            .catch(() => '')) ?? '';
        expect(text.includes(fragment), 'a token was rendered on the page').toBe(false);
      }
    }
  };
}
