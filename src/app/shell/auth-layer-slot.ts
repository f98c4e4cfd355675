import type { AuthContextProps } from 'react-oidc-context';
import type { AuthLayer } from '../auth-layer/auth-layer.tsx';

export interface AuthLayerState {
  layer: AuthLayer | null;
  /** react-oidc-context's value once its provider runs; null while the session is unknown. */
  auth: AuthContextProps | null;
  failure: Error | null;
}

/**
 * The auth and session layer loads after the first paint (the signed-out home page needs
 * none of it). This holds it for the shell: a store React reads, and promises for whoever
 * must wait (a "Sign in" click, route loaders).
 */
export class AuthLayerSlot {
  private state: AuthLayerState = { layer: null, auth: null, failure: null };
  private readonly listeners = new Set<() => void>();
  private markReady!: (layer: AuthLayer) => void;
  private known = false;
  /** The layer itself (for a sign-in click). */
  readonly loaded: Promise<AuthLayer>;
  /** The layer, once the session is known and the rendered state agrees (for routes). */
  readonly ready: Promise<AuthLayer>;

  constructor(loading: Promise<AuthLayer>) {
    let failReady!: (error: unknown) => void;
    this.ready = new Promise<AuthLayer>((resolve, reject) => {
      this.markReady = resolve;
      failReady = reject;
    });
    this.ready.catch(() => undefined); // shown by whoever awaits it
    this.loaded = loading.then(
      (layer) => {
        this.update({ layer });
        return layer;
      },
      (error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        this.update({ failure });
        failReady(failure);
        throw failure;
      },
    );
    this.loaded.catch(() => undefined);
  }

  readonly subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly snapshot = (): AuthLayerState => this.state;

  /** Called by the bridge on each value of react-oidc-context's provider. */
  readonly publishAuth = (auth: AuthContextProps) => {
    const { layer } = this.state;
    this.update({ auth });
    if (layer && !auth.isLoading && !this.known) {
      this.known = true;
      performance.mark('app:session known');
      this.markReady(layer);
    }
  };

  private update(change: Partial<AuthLayerState>): void {
    this.state = { ...this.state, ...change };
    for (const listener of this.listeners) listener();
  }
}
