// Fakes for the session keeper's unit tests: an IdP that rotates refresh tokens and counts
// reuse the way oidc-provider does, per-tab token sources, and a Web Locks stand-in.
import { ErrorResponse } from 'oidc-client-ts';
import type { MemoryTabNetwork } from '../lib/tab-broadcast.ts';
import { SessionEventLog } from './session-events.ts';
import { SessionKeeper } from './session-keeper.ts';
import type { MarkerStore } from './session-marker.ts';
import type { LockLike, ReceivedSession, TokenSource } from './session-types.ts';
import type { TabMessage } from './tab-channel.ts';

export class FakeIdp {
  private current = 'rt-1';
  private issued = 0;
  refreshes = 0;
  /** Every refresh request, failed or not. */
  requests = 0;
  reuse = 0;
  revocations = 0;
  /** The next `failNext` requests fail like this. */
  failNext = 0;
  failWith: () => Error = () => new TypeError('Failed to fetch');
  lifetimeMs = 15_000;

  signIn(): { access_token: string; refresh_token: string } {
    this.issued += 1;
    this.current = `rt-${this.issued}`;
    return { access_token: `at-${this.issued}`, refresh_token: this.current };
  }

  /** Revocation of a refresh token ends the grant; an unknown token is ignored (RFC 7009). */
  revoke(refreshToken: string): void {
    if (refreshToken !== this.current) return;
    this.revocations += 1;
    this.current = 'revoked';
  }

  refresh(refreshToken: string): { access_token: string; refresh_token: string } {
    this.requests += 1;
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw this.failWith();
    }
    if (refreshToken !== this.current) {
      this.reuse += 1;
      this.current = 'revoked'; // reuse revokes the whole grant
      throw new ErrorResponse({ error: 'invalid_grant' });
    }
    this.refreshes += 1;
    return this.signIn();
  }
}

type Tokens = { access_token: string; refresh_token: string };

export class FakeTab implements TokenSource {
  tokens: Tokens | null = null;
  /** Its tokens are DPoP-bound: each renewal hands over a refresh token to persist. */
  persisting = false;
  constructor(private readonly idp: FakeIdp) {}
  async credential() {
    return this.tokens ? { token: this.tokens.access_token, scheme: 'Bearer' as const } : null;
  }
  async renew(): Promise<ReceivedSession> {
    await Promise.resolve(); // the network
    if (!this.tokens) throw new ErrorResponse({ error: 'login_required' });
    this.tokens = this.idp.refresh(this.tokens.refresh_token);
    const serialized = JSON.stringify(this.tokens);
    return {
      serialized,
      lifetimeMs: this.idp.lifetimeMs,
      ...(this.persisting ? { persisted: serialized } : {}),
    };
  }
  async adopt(serialized: string) {
    this.tokens = JSON.parse(serialized) as Tokens;
  }
  async serialize() {
    return this.tokens ? JSON.stringify(this.tokens) : null;
  }
  async forget() {
    this.tokens = null;
  }
  async revoke() {
    await Promise.resolve(); // the network
    if (this.tokens) this.idp.revoke(this.tokens.refresh_token);
  }
}

/** Web Locks: callbacks for one name run one after another, across all "tabs". */
export function fakeLocks(): LockLike {
  const tails = new Map<string, Promise<unknown>>();
  return {
    request<T>(name: string, callback: () => Promise<T>): Promise<T> {
      const run = (tails.get(name) ?? Promise.resolve()).then(callback);
      tails.set(
        name,
        run.catch(() => {}),
      );
      return run;
    },
  };
}

export function openTab(
  idp: FakeIdp,
  network: MemoryTabNetwork<TabMessage>,
  marker: MarkerStore,
  locks: LockLike,
  configuredMarginMs = 60_000,
  onSignedOutElsewhere?: () => void,
  persistedLifetimeMs?: number,
) {
  const tab = new FakeTab(idp);
  const log = new SessionEventLog();
  const keeper = new SessionKeeper({
    tokens: tab,
    marker,
    channel: network.join(),
    locks,
    log,
    lockName: 'renew',
    configuredMarginMs,
    now: () => Date.now(),
    random: () => 0.5,
    ...(onSignedOutElsewhere ? { onSignedOutElsewhere } : {}),
    ...(persistedLifetimeMs ? { persistedLifetimeMs } : {}),
  });
  return { tab, keeper, log };
}

/**
 * One tab's place on `network` that can stop hearing the others (a frozen background tab,
 * a duplicated tab that missed a renewal): while frozen, messages to it are lost.
 */
export function freezableJoin(network: MemoryTabNetwork<TabMessage>) {
  const channel = network.join();
  let frozen = false;
  return {
    network: {
      join: () => ({
        post: channel.post,
        listen: (listener: Parameters<typeof channel.listen>[0]) =>
          channel.listen((message) => {
            if (!frozen) listener(message);
          }),
      }),
    },
    freeze: () => {
      frozen = true;
    },
    thaw: () => {
      frozen = false;
    },
  };
}
