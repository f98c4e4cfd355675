// Every credential a browser context sent or received, read from the wire: authorization
// codes and state in URLs, the code verifier and refresh token in token requests, tokens in
// token responses, access tokens and DPoP proofs in request headers. The log-leak spec then
// looks for each in every server's log.
import type { BrowserContext, Request, Response } from '@playwright/test';

export interface WireSecrets {
  /** What was seen, by kind ("code", "access_token", "dpop proof"…), each value once. */
  readonly byKind: Map<string, Set<string>>;
  /** Every value and, for a JWT, its payload and signature on their own (a log may hold part). */
  needles(): string[];
}

const URL_PARAMS = ['code', 'state'];
const FORM_PARAMS = ['code', 'code_verifier', 'refresh_token'];
const RESPONSE_FIELDS = ['access_token', 'refresh_token', 'id_token'];

export function collectWireSecrets(context: BrowserContext): WireSecrets {
  const byKind = new Map<string, Set<string>>();
  const add = (kind: string, value: string | null | undefined) => {
    if (!value) return;
    const set = byKind.get(kind) ?? new Set<string>();
    set.add(value);
    byKind.set(kind, set);
  };
  context.on('request', (request: Request) => {
    const url = new URL(request.url());
    for (const name of URL_PARAMS) add(name, url.searchParams.get(name));
    const headers = request.headers();
    const authorization = headers.authorization?.match(/^(?:Bearer|DPoP) (.+)$/)?.[1];
    add('access_token (sent)', authorization);
    add('dpop proof', headers.dpop);
    const body = request.postData();
    if (body && headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
      const form = new URLSearchParams(body);
      for (const name of FORM_PARAMS) add(name, form.get(name));
    }
  });
  context.on('response', async (response: Response) => {
    if (response.request().method() !== 'POST' || !response.url().endsWith('/token')) return;
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    for (const name of RESPONSE_FIELDS) {
      if (typeof body[name] === 'string') add(name, body[name]);
    }
  });
  return {
    byKind,
    needles() {
      const out = new Set<string>();
      for (const values of byKind.values()) {
        for (const value of values) {
          out.add(value);
          const parts = value.split('.');
          // A JWT's header is shared by many tokens (and names no secret): not a needle.
          if (parts.length === 3)
            for (const part of parts.slice(1)) if (part.length >= 16) out.add(part);
        }
      }
      return [...out];
    },
  };
}

/** Which needles occur in which log: "<file>: <kind of value> <first 12 characters>…". */
export function findLeaks(logs: Record<string, string>, needles: readonly string[]): string[] {
  const leaks: string[] = [];
  for (const [file, text] of Object.entries(logs)) {
    for (const needle of needles) {
      if (text.includes(needle)) leaks.push(`${file}: ${needle.slice(0, 12)}…`);
    }
  }
  return leaks;
}
