import type { StateStore } from 'oidc-client-ts';

/**
 * oidc-client-ts's user store, kept in this tab's memory: the access token never touches
 * web storage, a duplicated tab copies nothing, and a reload forgets it. Other tabs hand
 * the session over (src/session), so a new tab needs no trip to the provider.
 */
export class TabUserStore implements StateStore {
  private readonly items = new Map<string, string>();

  async set(key: string, value: string): Promise<void> {
    this.items.set(key, value);
  }

  async get(key: string): Promise<string | null> {
    return this.items.get(key) ?? null;
  }

  async remove(key: string): Promise<string | null> {
    const value = this.items.get(key) ?? null;
    this.items.delete(key);
    return value;
  }

  async getAllKeys(): Promise<string[]> {
    return [...this.items.keys()];
  }
}
