// Specs that need another runtime config (an option, another client) rewrite the app's
// /config.json on its way to the page, starting from what the SPA server really serves
// (its headers too: the app reads the server's clock from `Date`).
import type { BrowserContext, Page } from '@playwright/test';

export interface RuntimeConfig {
  providers: Record<string, unknown>[];
  options?: Record<string, unknown>;
  [field: string]: unknown;
}

export async function rewriteConfig(
  target: Page | BrowserContext,
  change: (config: RuntimeConfig) => RuntimeConfig,
): Promise<void> {
  await target.route('**/config.json', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, json: change((await response.json()) as RuntimeConfig) });
  });
}

/** The app's optional idle timeout, set to `minutes`. */
export const withIdleTimeout =
  (minutes: number) =>
  (config: RuntimeConfig): RuntimeConfig => ({
    ...config,
    options: { ...config.options, idleTimeoutMinutes: minutes },
  });
