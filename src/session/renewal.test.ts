// The renewal's decisions one by one (renewal.ts): what each failed attempt logs, when the
// retries stop, what a token born expired or a session ended meanwhile does, and when a tab
// under the lock skips or catches up. session-keeper.test.ts tells the whole stories.
import { ErrorResponse } from 'oidc-client-ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type MemoryTabNetwork, memoryTabNetwork } from '../lib/tab-broadcast.ts';
import { SessionEventLog } from './session-events.ts';
import { SessionKeeper } from './session-keeper.ts';
import { type MarkerStore, memoryMarkerStore } from './session-marker.ts';
import { FakeIdp, FakeTab, fakeLocks, freezableJoin } from './session-test-kit.ts';
import type { KeeperDeps, LockLike } from './session-types.ts';
import type { TabMessage } from './tab-channel.ts';

let idp: FakeIdp;
let network: MemoryTabNetwork<TabMessage>;
let marker: MarkerStore;
let locks: LockLike;

beforeEach(() => {
  vi.useFakeTimers();
  idp = new FakeIdp();
  network = memoryTabNetwork<TabMessage>();
  marker = memoryMarkerStore();
  locks = fakeLocks();
});
afterEach(() => vi.useRealTimers());

function tab(deps: Partial<KeeperDeps> = {}, join = network) {
  const tokens = new FakeTab(idp);
  const log = new SessionEventLog();
  const keeper = new SessionKeeper({
    tokens,
    marker,
    channel: join.join(),
    locks,
    log,
    lockName: 'renew',
    configuredMarginMs: 60_000,
    now: () => Date.now(),
    random: () => 0.5,
    ...deps,
  });
  const details = (kind: string) =>
    log
      .list()
      .filter((event) => event.kind === kind)
      .map((event) => event.detail);
  return { tokens, keeper, log, details };
}

/** A tab signed in with a 15 s token: its renewal falls due at 10.5 s. */
async function signedIn(deps: Partial<KeeperDeps> = {}) {
  const t = tab(deps);
  t.tokens.tokens = idp.signIn();
  await t.keeper.signedIn({ serialized: JSON.stringify(t.tokens.tokens), lifetimeMs: 15_000 });
  return t;
}

describe('a failed attempt', () => {
  it('is logged with its kind, reason and number; the renewal that succeeds with its trigger', async () => {
    const { details } = await signedIn();
    idp.failNext = 2;
    await vi.advanceTimersByTimeAsync(10_500 + 375 + 750 + 10);
    expect(details('renew-failed')).toEqual([
      'transient: network (attempt 1)',
      'transient: network (attempt 2)',
    ]);
    // The fake provider answers at once (fake timers): 0 ms.
    expect(details('renewed')).toEqual(['scheduled, 0 ms, generation 2']);
  });

  it('shows renewing while the request is out, keeping the reason of the last failure', async () => {
    const { keeper } = await signedIn();
    const seen: unknown[] = [];
    keeper.subscribe(() => seen.push(keeper.snapshot()));
    idp.failNext = 1;
    await vi.advanceTimersByTimeAsync(10_500 + 375 + 10);
    expect(seen).toEqual([
      { status: 'renewing' },
      { status: 'retrying', reason: 'network' },
      { status: 'renewing', reason: 'network' },
      { status: 'active' },
    ]);
  });

  it('a rejection without a reason is transient', async () => {
    const { keeper, tokens, details } = await signedIn();
    const renew = tokens.renew.bind(tokens);
    tokens.renew = () => {
      tokens.renew = renew;
      return Promise.reject(null);
    };
    const renewing = keeper.renew('rejected', 'at-1');
    await vi.advanceTimersByTimeAsync(400); // one retry, after 375 ms
    expect(await renewing).toBe(true);
    expect(details('renew-failed')).toEqual(['transient: server (attempt 1)']);
  });

  it('names the ID-token rule that refused the renewed token (a string only)', async () => {
    const { keeper, details } = await signedIn();
    idp.failNext = 1;
    idp.failWith = () =>
      Object.assign(new Error('refused'), { code: 'id_token_invalid', rule: 'sub' });
    await vi.advanceTimersByTimeAsync(10_600);
    expect(details('renew-failed')).toEqual(['permanent: id_token_invalid, rule sub (attempt 1)']);
    expect(keeper.snapshot()).toEqual({
      status: 'expired',
      reason: 'id_token_invalid',
      final: true,
    });

    const other = await signedIn();
    idp.failNext = 1;
    idp.failWith = () => Object.assign(new Error('refused'), { code: 'id_token_invalid', rule: 7 });
    await vi.advanceTimersByTimeAsync(10_600);
    expect(other.details('renew-failed')).toEqual(['permanent: id_token_invalid (attempt 1)']);
  });

  it('offline, the status says offline rather than retrying', async () => {
    let online = false;
    const { keeper } = await signedIn({ isOnline: () => online });
    idp.failNext = 2;
    await vi.advanceTimersByTimeAsync(10_600);
    expect(keeper.snapshot()).toEqual({ status: 'offline', reason: 'network' });
    online = true;
    await vi.advanceTimersByTimeAsync(375);
    expect(keeper.snapshot()).toEqual({ status: 'retrying', reason: 'network' });
    await vi.advanceTimersByTimeAsync(750);
    expect(keeper.snapshot()).toEqual({ status: 'active' });
  });

  it('waits no longer than the token has left: the last retry comes at expiry', async () => {
    const { keeper } = await signedIn();
    // Retries after 375, 750, 1500 ms, then 3000 cut to the 1875 ms left (15 s - 13.125 s).
    idp.failNext = 4;
    await vi.advanceTimersByTimeAsync(15_000 - 1);
    expect(idp.refreshes).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(idp.refreshes).toBe(1);
    expect(keeper.snapshot()).toEqual({ status: 'active' });
  });

  it('after a sign-out in the backoff, no further attempt is made or logged', async () => {
    const { keeper, log } = await signedIn();
    idp.failNext = 100;
    await vi.advanceTimersByTimeAsync(10_600);
    expect(idp.requests).toBe(1);
    const renewing = keeper.renew('scheduled'); // the one in its backoff
    await keeper.signOut();
    expect(await renewing).toBe(false);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(idp.requests).toBe(1);
    expect(log.count('renew-failed')).toBe(1);
    expect(log.count('ended-elsewhere')).toBe(0);
    expect(keeper.snapshot()).toEqual({ status: 'signed-out' });
  });

  it('signed out while the request was out: the failure ends the renewal there', async () => {
    const { keeper, tokens, log } = await signedIn();
    let fail: (error: Error) => void = () => {};
    tokens.renew = () =>
      new Promise((_, reject) => {
        fail = reject;
      });
    const renewing = keeper.renew('rejected', 'at-1');
    await vi.advanceTimersByTimeAsync(0);
    await keeper.signOut();
    fail(new TypeError('Failed to fetch'));
    expect(await renewing).toBe(false);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(log.count('renew-failed')).toBe(1);
    expect(log.count('ended-elsewhere')).toBe(0);
    expect(keeper.snapshot()).toEqual({ status: 'signed-out' });
  });
});

describe('a renewed token', () => {
  it('that lives under a second ends the session in every tab, once', async () => {
    const { keeper } = await signedIn();
    idp.lifetimeMs = 999;
    // FakeTab.renew reports idp.lifetimeMs as the new token's lifetime.
    await vi.advanceTimersByTimeAsync(10_600);
    expect(keeper.snapshot()).toEqual({
      status: 'expired',
      reason: 'token_expired_on_arrival',
      final: true,
    });
    expect(await marker.read()).toMatchObject({
      active: false,
      endedBy: 'token_expired_on_arrival',
    });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(idp.requests).toBe(1);
  });

  it('that lives exactly a second is used', async () => {
    const { keeper } = await signedIn();
    idp.lifetimeMs = 1_000;
    await vi.advanceTimersByTimeAsync(10_600);
    expect(keeper.snapshot()).toEqual({ status: 'active' });
  });

  it('is not used when the session ended meanwhile; the marker says why', async () => {
    const { keeper, tokens } = await signedIn();
    const originalRenew = tokens.renew.bind(tokens);
    let release: () => void = () => {};
    tokens.renew = async () => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return originalRenew();
    };
    const renewing = keeper.renew('rejected', 'at-1');
    await vi.advanceTimersByTimeAsync(0);
    network.join().post({ type: 'ended', reason: 'idle_timeout' }); // another tab's idle watch
    await vi.advanceTimersByTimeAsync(0);
    release();
    expect(await renewing).toBe(false);
    expect(keeper.snapshot()).toEqual({ status: 'expired', reason: 'idle_timeout', final: true });
    expect(await marker.read()).toMatchObject({ active: false, endedBy: 'idle_timeout' });
  });

  it('a permanent refusal is in the marker before the lock is released', async () => {
    const first = await signedIn();
    const second = tab();
    await second.keeper.start();
    idp.failNext = 1;
    idp.failWith = () => new ErrorResponse({ error: 'invalid_grant' });
    let inactiveWhenReleased: boolean | undefined;
    const request = locks.request.bind(locks);
    locks.request = async (name, callback) => {
      try {
        return await request(name, callback);
      } finally {
        inactiveWhenReleased ??= !(await marker.read()).active;
      }
    };
    expect(await first.keeper.renew('rejected', 'at-1')).toBe(false);
    expect(inactiveWhenReleased).toBe(true);
    expect((await marker.read()).endedBy).toBe('invalid_grant');
  });
});

describe('under the lock', () => {
  it('a marker that says the session ended stops the renewal without a request', async () => {
    const { keeper, details } = await signedIn();
    await marker.write({ generation: 1, active: false, endedBy: 'invalid_grant' });
    expect(await keeper.renew('test')).toBe(false);
    expect(idp.requests).toBe(0);
    expect(details('ended-elsewhere')).toEqual(['permanent: invalid_grant (attempt 1)']);
    expect(keeper.snapshot()).toEqual({ status: 'expired', reason: 'invalid_grant', final: true });
  });

  it('a marker that was cleared (signed out elsewhere) reads as signed-out', async () => {
    const { keeper } = await signedIn();
    await marker.clear();
    expect(await keeper.renew('test')).toBe(false);
    expect(idp.requests).toBe(0);
    expect(keeper.snapshot()).toMatchObject({ reason: 'signed-out' });
  });

  it('a session ended in another tab (heard before the marker says so) makes no request', async () => {
    const { keeper } = await signedIn();
    network.join().post({ type: 'ended', reason: 'idle_timeout' });
    await vi.advanceTimersByTimeAsync(0);
    expect((await marker.read()).active).toBe(true);
    expect(await keeper.renew('rejected', 'at-1')).toBe(false);
    expect(idp.requests).toBe(0);
  });

  it('a tab whose copy is up to date asks no other tab for the session', async () => {
    const { keeper } = await signedIn();
    const heard: string[] = [];
    network.join().listen((message) => heard.push(message.type));
    await vi.advanceTimersByTimeAsync(10_600);
    expect(idp.refreshes).toBe(1);
    expect(heard).toEqual(['session']); // the renewed one, and no hello before it
    expect(await keeper.renew('rejected', 'at-2')).toBe(true);
    expect(heard).toEqual(['session', 'session']);
  });

  it('a rejection when this tab no longer holds a token renews nothing', async () => {
    const { keeper, tokens, log } = await signedIn();
    await tokens.forget();
    expect(await keeper.renew('rejected', 'at-1')).toBe(true);
    expect(idp.requests).toBe(0);
    expect(log.count('renew-failed')).toBe(0);
  });

  it('a token that is not due is not renewed, and the skip is logged', async () => {
    const { keeper, details } = await signedIn();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await keeper.renew('visible')).toBe(true);
    expect(idp.requests).toBe(0);
    expect(details('renew-skipped')).toEqual(['visible: another tab renewed (generation 1)']);
  });

  it('a rejected token that is no longer the one held is not renewed again', async () => {
    const { keeper } = await signedIn();
    expect(await keeper.renew('rejected', 'at-0')).toBe(true);
    expect(idp.requests).toBe(0);
    expect(await keeper.renew('rejected', 'at-1')).toBe(true);
    expect(idp.refreshes).toBe(1);
  });

  it('a copy older than the marker waits for the newer session, then gives up after 2 s', async () => {
    const first = await signedIn();
    const place = freezableJoin(network);
    const stale = tab({}, place.network);
    await stale.keeper.start();
    place.freeze();
    expect(await first.keeper.renew('rejected', 'at-1')).toBe(true);
    // The stale tab asks for the session and hears nothing: no request with its old token.
    const renewing = stale.keeper.renew('rejected', 'at-1');
    await vi.advanceTimersByTimeAsync(1_990);
    expect(stale.details('renew-failed')).toEqual([]);
    await vi.advanceTimersByTimeAsync(20);
    expect(stale.details('renew-failed')).toEqual(['transient: server (attempt 1)']);
    expect(idp.requests).toBe(1);
    place.thaw();
    await vi.advanceTimersByTimeAsync(400);
    expect(await renewing).toBe(true);
    expect(stale.tokens.tokens).toEqual(first.tokens.tokens);
    expect(idp.reuse).toBe(0);
  });
});
