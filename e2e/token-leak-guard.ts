// Knows every token the provider hands the browser (through the shared reader of token
// responses, token-responses.ts), in the test's context and in every context the test
// makes with `browser.newContext()`, and at the end of the test
// fails if one showed up where someone could find it: a request URL, an address the page
// had (a navigation or `history.replaceState`), the console, or a page of any open tab (its
// text, title, any attribute, any form field's value), in any frame.
// IMPORTANT: what it reports names the token and the place, never the token itself.
import { type Browser, type BrowserContext, expect, type Frame, type Page } from '@playwright/test';
import { TokenResponses } from './token-responses.ts';

/** The end of a token (a JWT's signature, or most of an opaque one) is enough to find it. */
const FRAGMENT_LENGTH = 24;

interface Trace {
  place: string;
  text: string;
}

export class TokenLeakGuard {
  /** The token responses of each watched context: the final check waits for every body. */
  private readonly readers: TokenResponses[] = [];
  private readonly traces: Trace[] = [];
  private readonly pages: Page[] = [];
  private readonly contexts = new Set<BrowserContext>();
  private expected: string[] = [];
  private idTokenHintEndpoint: string | undefined;

  /** Watches every page of `context`, open now or later. */
  watch(context: BrowserContext): void {
    if (this.contexts.has(context)) return;
    this.contexts.add(context);
    this.readers.push(TokenResponses.of(context));
    for (const page of context.pages()) this.watchPage(page);
    context.on('page', (page) => this.watchPage(page));
  }

  /**
   * Watches every context `browser.newContext()` (and `browser.newPage()`, which calls it)
   * makes until the returned function is called.
   */
  watchNewContexts(browser: Browser): () => void {
    const original = browser.newContext;
    browser.newContext = async (...args) => {
      const context = await original.apply(browser, args);
      this.watch(context);
      return context;
    };
    return () => {
      browser.newContext = original;
    };
  }

  /**
   * Every place a token was found so far, as "<field> in <place>" (empty: none), once every
   * token response captured until now has been read.
   */
  async findings(): Promise<string[]> {
    for (const reader of this.readers) await reader.settled();
    const traces = [...this.traces];
    for (const page of this.pages.filter((p) => !p.isClosed())) {
      const pageIndex = this.pages.indexOf(page);
      for (const frame of page.frames()) {
        traces.push(...(await this.domTraces(frame, `page ${pageIndex}`)));
      }
    }
    const found = new Set<string>();
    const tokens = this.readers.flatMap((reader) => [...reader.tokens]);
    for (const [token, field] of tokens) {
      if (token.length < FRAGMENT_LENGTH) continue;
      const fragment = token.slice(-FRAGMENT_LENGTH);
      for (const trace of traces) {
        const text = this.withoutIdTokenHint(trace.text);
        if (text.includes(fragment)) found.add(`${field} in ${trace.place}`);
      }
    }
    return [...found];
  }

  /** `text` without the id_token_hint parameter, when it is an ID token sent where allowed. */
  private withoutIdTokenHint(text: string): string {
    if (!this.idTokenHintEndpoint || !URL.canParse(text)) return text;
    const url = new URL(text);
    if (`${url.origin}${url.pathname}` !== this.idTokenHintEndpoint) return text;
    const hint = url.searchParams.get('id_token_hint');
    if (!hint || !this.readers.some((reader) => reader.tokens.get(hint) === 'id_token'))
      return text;
    url.searchParams.delete('id_token_hint');
    return url.href;
  }

  /**
   * The provider's logout is asked with `id_token_hint` (its runtime config says
   * `logout.request: id_token_hint`): an ID token as that parameter of a request to, or an
   * address at, this end-session endpoint is what RP-Initiated Logout defines, not a leak.
   * Anywhere else, and any other token there, still is.
   */
  allowIdTokenHintAt(endSessionEndpoint: string): void {
    this.idTokenHintEndpoint = endSessionEndpoint;
  }

  /**
   * A planted-leak test names what it planted: the final check then expects exactly these
   * findings, no fewer and no others.
   */
  expectAtEnd(findings: string[]): void {
    this.expected = [...findings];
  }

  /** The final check (the fixture runs it after each test). */
  async check(): Promise<void> {
    expect((await this.findings()).sort(), 'a token leaked').toEqual([...this.expected].sort());
  }

  private watchPage(page: Page): void {
    const name = `page ${this.pages.length}`;
    this.pages.push(page);
    page.on('console', (message) =>
      this.traces.push({ place: `the console of ${name}`, text: message.text() }),
    );
    page.on('request', (request) =>
      this.traces.push({ place: `a request URL of ${name}`, text: request.url() }),
    );
    // Also the same-document ones: pushState, replaceState, a new fragment.
    page.on('framenavigated', (frame) =>
      this.traces.push({ place: `the address of ${name}`, text: frame.url() }),
    );
  }

  /** What a frame shows or holds now: its address, title, text, attributes, field values. */
  private async domTraces(frame: Frame, name: string): Promise<Trace[]> {
    const where = frame === frame.page().mainFrame() ? name : `a frame of ${name}`;
    const read = await frame
      .evaluate(() => {
        const found: [string, string][] = [
          ['the address', location.href],
          ['the title', document.title],
          ['the text', document.body?.textContent ?? ''],
        ];
        const walk = (root: Document | ShadowRoot) => {
          for (const element of root.querySelectorAll('*')) {
            const tag = element.localName;
            for (const attribute of element.attributes) {
              found.push([`attribute ${attribute.name} of <${tag}>`, attribute.value]);
            }
            if (
              element instanceof HTMLInputElement ||
              element instanceof HTMLTextAreaElement ||
              element instanceof HTMLSelectElement
            ) {
              found.push([`the value of <${tag}>`, element.value]);
            }
            if (element.shadowRoot) walk(element.shadowRoot);
          }
        };
        walk(document);
        return found;
      })
      .catch(() => [] as [string, string][]); // navigating or detached: nothing to read now
    return read.map(([place, text]) => ({ place: `${place} in ${where}`, text }));
  }
}
