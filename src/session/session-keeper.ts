// The session layer: renews ahead of expiry on a monotonic clock, one tab at a time (Web
// Locks), hands every result to the other tabs (BroadcastChannel), retries transient
// failures with jittered backoff while the token still works, and ends the session in
// every tab on a permanent failure or a sign-out. See README "Session keeping".
// The parts: session-core.ts (shared state), renewal.ts, tab-messages.ts.
import type { Credential } from '../auth/credential/credential.ts';
import type { CredentialSource } from './authorized-fetch.ts';
import { classifyFailure } from './failure-kind.ts';
import { BORN_EXPIRED, catchUp, MIN_LIFETIME_MS, Renewal } from './renewal.ts';
import { SessionCore } from './session-core.ts';
import type { SessionMarker } from './session-marker.ts';
import type { KeeperDeps, ReceivedSession, SessionSnapshot } from './session-types.ts';
import { onTabMessage } from './tab-messages.ts';

/** A token this close to expiry is renewed before a request rather than sent. */
const SEND_SLACK_MS = 1_000;

export class SessionKeeper implements CredentialSource {
  private readonly core: SessionCore;
  private readonly renewal: Renewal;

  constructor(private readonly deps: KeeperDeps) {
    this.core = new SessionCore(deps);
    this.renewal = new Renewal(this.core);
    this.core.onDue = () => void this.renew('scheduled');
    deps.channel.listen(
      (message) => void onTabMessage(this.core, message, () => this.deps.onSignedOutElsewhere?.()),
    );
  }

  /** Before the first render: take the session from another tab if one has it. */
  async start(): Promise<void> {
    const { core } = this;
    const marker = await this.withoutExpiredPersistence(await this.deps.marker.read());
    if (!marker.active) return;
    this.deps.channel.post({ type: 'hello' });
    const handoverMs = this.deps.handoverMs ?? 300;
    if (await core.waiters.waitUntil(() => core.generation > 0, handoverMs)) return;
    core.log('handover-none', 'no other tab holds the session');
    if (marker.persisted) {
      // A DPoP-bound refresh token outlives the tab (storage-policy.ts): renew with it.
      await this.deps.tokens.adopt(marker.persisted);
      core.generation = marker.generation;
      core.timeline.expireNow();
      core.state.set({ status: 'renewing' });
      if (await this.renew('restore')) return;
      if (core.state.snapshot().final) return;
    }
    try {
      await this.signedIn(await this.deps.tokens.renew(), 'silent sign-in');
    } catch (error) {
      core.log('silent-sign-in-failed', classifyFailure(error).reason);
    }
  }

  /**
   * IMPORTANT: a persisted session past its lifetime (or without one) is deleted before any
   * use, so a device left alone does not keep a working refresh token for ever.
   */
  private async withoutExpiredPersistence(marker: SessionMarker): Promise<SessionMarker> {
    if (!marker.persisted || this.core.wallNow() < (marker.persistedUntil ?? 0)) return marker;
    const { persisted: _expired, persistedUntil: _until, ...kept } = marker;
    await this.deps.marker.write(kept);
    this.core.log('persisted-expired', 'the session kept across reloads was past its lifetime');
    return kept;
  }

  /** A sign-in in this tab (callback or silent): it becomes the session of every tab. */
  async signedIn(received: ReceivedSession, how = 'sign-in'): Promise<void> {
    const { core } = this;
    if (received.lifetimeMs < MIN_LIFETIME_MS) {
      // Renewing such a token would loop at once; the sign-in route's breaker takes over.
      core.state.set({ status: 'expired', reason: BORN_EXPIRED, final: true });
      return;
    }
    core.accept(received.lifetimeMs); // usable at once: the page's first request is coming
    await core.nextGeneration();
    await core.share(received, core.persistedUntilFromNow());
    core.log(how, `generation ${core.generation}, token for ${received.lifetimeMs / 1000} s`);
  }

  /** A valid credential for a request: renewed first when it is about to expire. */
  async credential(): Promise<Credential | null> {
    if (this.core.state.over) return null;
    if (this.core.timeline.expiresWithin(SEND_SLACK_MS) && !(await this.renew('before-request'))) {
      return null;
    }
    return this.deps.tokens.credential();
  }

  /** The API refused `rejected`: renew once (unless another tab already did), then retry. */
  async credentialAfterRejection(rejected: Credential): Promise<Credential | null> {
    if (!(await this.renew('rejected', rejected.token))) return null;
    return this.deps.tokens.credential();
  }

  /** Renews unless a renewal is already running; true when a usable token is there. */
  renew(trigger: string, rejected?: string): Promise<boolean> {
    return this.renewal.run(trigger, rejected);
  }

  /** `online`, `visibilitychange` to visible, `pageshow`: look again at once. */
  checkNow(trigger: string): void {
    const { core } = this;
    if (core.state.over) return;
    if (core.backoff.sleeping) {
      core.log('recheck', trigger);
      core.backoff.wake();
    } else if (core.state.snapshot().status === 'expired' || core.isDue()) {
      void this.renew(trigger);
    }
  }

  /**
   * The session ends for a reason found here (idle timeout), for real: the refresh token is
   * revoked at the provider (as a deliberate sign-out does) and every tab drops its tokens
   * and shows the reason. The page and any draft stay for signing in again.
   */
  async endSession(reason: string): Promise<void> {
    const { core } = this;
    if (core.state.over) return;
    // Under the lock, with the newest copy: no tab renews meanwhile, none revokes a stale token.
    await this.deps.locks.request(this.deps.lockName, async () => {
      if (core.state.over) return; // another tab ended it meanwhile
      const marker = await this.deps.marker.read();
      if (marker.active) {
        try {
          await catchUp(core, marker.generation);
          await this.deps.tokens.revoke();
          core.log('revoked', reason);
        } catch (error) {
          // Unreachable provider: the session still ends here; the grant expires on its own.
          core.log('revoke-failed', classifyFailure(error).reason);
        }
      }
      await core.end(reason, { forget: true });
      await this.deps.tokens.forget();
    });
  }

  /**
   * The app opened again after the session's idle deadline: the session kept across reloads
   * ends unused. Its refresh token (if one was kept) is revoked at the provider, every tab
   * drops what it holds, and this one shows the reason.
   */
  async endKeptSession(reason: string): Promise<void> {
    const { core } = this;
    await this.deps.locks.request(this.deps.lockName, async () => {
      const marker = await this.deps.marker.read();
      if (!marker.active) return;
      if (marker.persisted) {
        try {
          await this.deps.tokens.adopt(marker.persisted);
          await this.deps.tokens.revoke();
          core.log('revoked', reason);
        } catch (error) {
          core.log('revoke-failed', classifyFailure(error).reason);
        }
        await this.deps.tokens.forget();
      }
      // Not core.end: this tab has no session of its own yet ('signed-out').
      core.state.set({ status: 'expired', reason, final: true });
      this.deps.channel.post({ type: 'ended', reason, forget: true });
      await this.deps.marker.write({
        generation: marker.generation,
        active: false,
        endedBy: reason,
      });
    });
  }

  /** Deliberate sign-out here: every tab forgets the session (the caller then redirects). */
  async signOut(): Promise<void> {
    this.deps.channel.post({ type: 'signed-out' });
    this.core.clear('signed-out');
    await this.deps.marker.clear();
  }

  snapshot = (): SessionSnapshot => this.core.state.snapshot();

  subscribe = (listener: () => void): (() => void) => this.core.state.subscribe(listener);
}
