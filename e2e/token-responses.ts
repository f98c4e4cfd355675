// One reader of the token responses a browser context receives (any JSON answer to a POST
// that carries access, ID or refresh tokens, whatever the provider's token path), shared by
// the token-leak guard (every token it must never find) and by specs (the tokens a provider
// last issued, app-session.ts). A body is read asynchronously after its response event, so
// both wait for every body seen so far (`settled`) before they trust what was read: a check
// made a moment after the last token response would otherwise miss its tokens.
import type { BrowserContext, Page, Response } from '@playwright/test';

export const TOKEN_FIELDS = ['access_token', 'id_token', 'refresh_token'] as const;
export type TokenField = (typeof TOKEN_FIELDS)[number];

export interface TokenResponse {
  /** Where it came from: the provider's origin and the endpoint's path. */
  url: URL;
  body: Record<string, unknown>;
}

const readers = new WeakMap<BrowserContext, TokenResponses>();

export class TokenResponses {
  /** Each token seen, with the field it came in. */
  readonly tokens = new Map<string, TokenField>();
  /** Bodies still being read. */
  private readonly reading = new Set<Promise<void>>();
  private readonly listeners: ((response: TokenResponse) => void)[] = [];

  private constructor(context: BrowserContext) {
    for (const page of context.pages()) this.watchPage(page);
    context.on('page', (page) => this.watchPage(page));
  }

  /** The context's reader, watching every page of it from now on (one per context). */
  static of(context: BrowserContext): TokenResponses {
    let reader = readers.get(context);
    if (!reader) {
      reader = new TokenResponses(context);
      readers.set(context, reader);
    }
    return reader;
  }

  /** Called with each token response, in the order their bodies were read. */
  onResponse(listener: (response: TokenResponse) => void): void {
    this.listeners.push(listener);
  }

  /** Resolves once every token response seen until now has been read (and told). */
  async settled(): Promise<void> {
    while (this.reading.size > 0) await Promise.all(this.reading);
  }

  private watchPage(page: Page): void {
    page.on('response', (response) => {
      const reading = this.read(response).finally(() => this.reading.delete(reading));
      this.reading.add(reading);
    });
  }

  private async read(response: Response): Promise<void> {
    if (response.request().method() !== 'POST') return;
    if (!/json/.test(response.headers()['content-type'] ?? '')) return;
    let body: Record<string, unknown>;
    try {
      body = (await response.json()) as Record<string, unknown>;
    } catch {
      return; // not JSON after all, or the page went away before its body could be read
    }
    if (typeof body !== 'object' || body === null) return;
    const fields = TOKEN_FIELDS.filter((field) => typeof body[field] === 'string');
    if (fields.length === 0) return;
    for (const field of fields) this.tokens.set(body[field] as string, field);
    const told = { url: new URL(response.url()), body };
    for (const listener of this.listeners) listener(told);
  }
}
