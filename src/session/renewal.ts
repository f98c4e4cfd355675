// One renewal at a time in this tab, and one across all tabs (Web Locks). Under the lock a
// tab first catches up with any newer session another tab obtained, so a rotated refresh
// token is never used twice; transient failures are retried with jittered backoff while
// the token still works, permanent ones end the session in every tab.
import { classifyFailure, SessionEndedElsewhere } from './failure-kind.ts';
import { retryDelayMs } from './renewal-timing.ts';
import type { SessionCore } from './session-core.ts';
import type { ReceivedSession } from './session-types.ts';

/** A provider that hands out tokens living less than this is broken (clock or lifetime). */
export const MIN_LIFETIME_MS = 1_000;
export const BORN_EXPIRED = 'token_expired_on_arrival';

export class Renewal {
  private inflight: Promise<boolean> | null = null;

  constructor(private readonly core: SessionCore) {}

  /** Renews unless a renewal is already running; true when a usable token is there. */
  run(trigger: string, rejected?: string): Promise<boolean> {
    this.inflight ??= this.withRetries(trigger, rejected).finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async withRetries(trigger: string, rejected?: string): Promise<boolean> {
    const { core } = this;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await core.deps.locks.request(core.deps.lockName, () => this.underLock(trigger, rejected));
        core.state.set({ status: 'active' });
        return true;
      } catch (error) {
        const failure = classifyFailure(error);
        const elsewhere = error instanceof SessionEndedElsewhere;
        // A refused ID token names the rule that failed, for QA (never the token).
        const rule = (error as { rule?: unknown } | null)?.rule;
        const which = typeof rule === 'string' ? `, rule ${rule}` : '';
        core.log(
          elsewhere ? 'ended-elsewhere' : 'renew-failed',
          `${failure.kind}: ${failure.reason}${which} (attempt ${attempt})`,
        );
        if (failure.kind === 'permanent') {
          await core.end(failure.reason);
          return false;
        }
        if (core.state.snapshot().status === 'signed-out') return false;
        if (core.timeline.expiresWithin(0)) {
          // The token is gone: say so; a later check (online, visible, a request) may recover.
          core.state.set({ status: 'expired', reason: failure.reason });
          return false;
        }
        const online = core.deps.isOnline?.() ?? true;
        core.state.set({ status: online ? 'retrying' : 'offline', reason: failure.reason });
        const delay = retryDelayMs(attempt, core.deps.random);
        await core.backoff.sleep(Math.min(delay, core.timeline.msLeft()));
        if (core.state.snapshot().status === 'signed-out') return false;
      }
    }
  }

  private async underLock(trigger: string, rejected?: string): Promise<void> {
    const { core } = this;
    const marker = await core.deps.marker.read();
    if (core.state.snapshot().final) throw this.endedHere();
    if (!marker.active) throw new SessionEndedElsewhere(marker.endedBy ?? 'signed-out');
    await catchUp(core, marker.generation);
    if (!(await this.needed(rejected))) {
      core.log('renew-skipped', `${trigger}: another tab renewed (generation ${core.generation})`);
      return;
    }
    core.state.set({ status: 'renewing', reason: core.state.snapshot().reason });
    const started = core.now();
    let received: ReceivedSession;
    try {
      received = await core.deps.tokens.renew();
      if (received.lifetimeMs < MIN_LIFETIME_MS) throw { code: BORN_EXPIRED };
      // Ended meanwhile (idle timeout, another tab's failure): the new tokens are not used.
      if (core.state.snapshot().final) throw this.endedHere();
    } catch (error) {
      // Still under the lock: the next tab must read that the session is over, not retry.
      const failure = classifyFailure(error);
      if (failure.kind === 'permanent') {
        await core.deps.marker.write({ ...marker, active: false, endedBy: failure.reason });
      }
      throw error;
    }
    await core.nextGeneration();
    core.accept(received.lifetimeMs);
    await core.share(received, marker.persistedUntil); // a renewal keeps the sign-in's
    const ms = Math.round(core.now() - started);
    core.log('renewed', `${trigger}, ${ms} ms, generation ${core.generation}`);
  }

  private async needed(rejected?: string): Promise<boolean> {
    const { core } = this;
    // Stryker disable next-line ConditionalExpression,BooleanLiteral: unreachable today (catchUp has raised the generation to the marker's, and an active marker's is at least 1); kept as the rule that a tab with no session never skips
    if (core.generation === 0) return true;
    if (rejected !== undefined) return (await core.deps.tokens.credential())?.token === rejected;
    // Stryker disable next-line ConditionalExpression,StringLiteral: 'expired' (not final) is only set once the token has expired, and an expired token is also due; kept so that a change to isDue cannot strand an expired tab
    return core.isDue() || core.state.snapshot().status === 'expired';
  }

  private endedHere(): SessionEndedElsewhere {
    // Stryker disable next-line StringLiteral: every final state carries its reason; the fallback only keeps the type honest
    return new SessionEndedElsewhere(this.core.state.snapshot().reason ?? 'ended');
  }
}

/**
 * Under the lock: another tab renewed (the marker's generation is newer) and its result is
 * on the way (it posts before it writes the marker). Without it, this tab must not go on.
 */
export async function catchUp(core: SessionCore, generation: number): Promise<void> {
  if (generation <= core.generation) return;
  core.deps.channel.post({ type: 'hello' });
  await core.waiters.waitUntil(() => core.generation >= generation, 2_000);
  // Stryker disable next-line StringLiteral: the message is never shown (classifyFailure reads the error's type: transient, 'server'); it is for a debugger
  if (generation > core.generation) throw new Error('stale session copy');
}
