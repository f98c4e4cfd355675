import { ErrorResponse } from 'oidc-client-ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type MemoryTabNetwork, memoryTabNetwork } from '../lib/tab-broadcast.ts';
import { renewalDelayMs, retryDelayMs } from './renewal-timing.ts';
import { memoryMarkerStore } from './session-marker.ts';
import { FakeIdp, fakeLocks, freezableJoin, openTab } from './session-test-kit.ts';
import type { TabMessage } from './tab-channel.ts';

describe('renewal timing', () => {
  it('renews a 15 s token once, at 70 %, although the configured margin is 60 s', () => {
    expect(renewalDelayMs(15_000, 60_000)).toBe(10_500);
  });
  it('uses the configured margin for long tokens', () => {
    expect(renewalDelayMs(300_000, 30_000)).toBe(270_000);
  });
  it('backs off exponentially with jitter, capped at 8 s', () => {
    expect(retryDelayMs(1, () => 0)).toBe(250);
    expect(retryDelayMs(1, () => 1)).toBe(500);
    expect(retryDelayMs(3, () => 0.5)).toBe(1_500);
    expect(retryDelayMs(20, () => 1)).toBe(8_000);
  });
});

describe('SessionKeeper', () => {
  let idp: FakeIdp;
  let network: MemoryTabNetwork<TabMessage>;
  const marker = memoryMarkerStore();
  const locks = fakeLocks();
  const open = () => openTab(idp, network, marker, locks);

  beforeEach(async () => {
    vi.useFakeTimers();
    idp = new FakeIdp();
    network = memoryTabNetwork<TabMessage>();
    await marker.clear();
  });
  afterEach(() => vi.useRealTimers());

  async function signedInTab() {
    const first = open();
    first.tab.tokens = idp.signIn();
    await first.keeper.signedIn({
      serialized: JSON.stringify(first.tab.tokens),
      lifetimeMs: idp.lifetimeMs,
    });
    return first;
  }

  it('renews once per token lifetime, on time', async () => {
    const { keeper } = await signedInTab();
    await vi.advanceTimersByTimeAsync(10_400);
    expect(idp.refreshes).toBe(0);
    await vi.advanceTimersByTimeAsync(200);
    expect(idp.refreshes).toBe(1);
    await vi.advanceTimersByTimeAsync(60_000 - 10_600);
    expect(idp.refreshes).toBe(5); // 60 s / 10.5 s
    expect(keeper.snapshot().status).toBe('active');
  });

  it('a new tab takes the session from another tab, without the provider', async () => {
    const first = await signedInTab();
    const second = open();
    await second.keeper.start();
    expect(second.tab.tokens).toEqual(first.tab.tokens);
    expect(idp.refreshes).toBe(0);
  });

  it('three tabs: one refresh per renewal, no reuse, all tabs on the same tokens', async () => {
    const tabs = [await signedInTab(), open(), open()];
    for (const other of tabs.slice(1)) await other.keeper.start();
    await vi.advanceTimersByTimeAsync(105_000);
    expect(idp.refreshes).toBe(10);
    expect(idp.reuse).toBe(0);
    const tokens = tabs.map(({ tab }) => tab.tokens?.access_token);
    expect(new Set(tokens).size).toBe(1);
    const renewed = tabs.reduce((sum, { log }) => sum + log.count('renewed'), 0);
    expect(renewed).toBe(10);
  });

  it('a rejected token is renewed once, and a second rejection of it reuses the result', async () => {
    const tabs = [await signedInTab(), open()];
    await tabs[1]?.keeper.start();
    const rejected = { token: 'at-1', scheme: 'Bearer' } as const;
    const [a, b] = await Promise.all([
      tabs[0]?.keeper.credentialAfterRejection(rejected),
      tabs[1]?.keeper.credentialAfterRejection(rejected),
    ]);
    expect(idp.refreshes).toBe(1);
    expect(a?.token).toBe('at-2');
    expect(b?.token).toBe('at-2');
  });

  it('a request with less than a second of the token left gets a renewed one first', async () => {
    idp.lifetimeMs = 1_200; // its renewal timer fires at 840 ms; the request comes at 600
    const { keeper } = await signedInTab();
    idp.lifetimeMs = 15_000;
    await vi.advanceTimersByTimeAsync(600);
    expect(idp.refreshes).toBe(0);
    expect(await keeper.credential()).toEqual({ token: 'at-2', scheme: 'Bearer' });
    expect(idp.refreshes).toBe(1);
  });

  it('transient failures are retried with backoff while the token is valid, then recover quietly', async () => {
    const { keeper } = await signedInTab();
    idp.failNext = 3;
    const seen = new Set<string>();
    keeper.subscribe(() => seen.add(keeper.snapshot().status));
    // Retries after 375, 750 and 1500 ms (random 0.5); the fourth attempt gets through.
    await vi.advanceTimersByTimeAsync(10_500 + 375 + 750 + 1_500 + 100);
    expect(idp.refreshes).toBe(1);
    expect(seen).toContain('retrying');
    expect(keeper.snapshot()).toEqual({ status: 'active' });
  });

  it('an outage past expiry shows expired, and coming back online recovers', async () => {
    const { keeper } = await signedInTab();
    idp.failNext = 100;
    await vi.advanceTimersByTimeAsync(16_000);
    expect(keeper.snapshot()).toMatchObject({ status: 'expired', reason: 'network' });
    expect(await keeper.credential()).toBeNull();
    idp.failNext = 0;
    keeper.checkNow('online');
    await vi.advanceTimersByTimeAsync(10);
    expect(keeper.snapshot().status).toBe('active');
  });

  it('a permanent failure ends the session in every tab, without more requests', async () => {
    const tabs = [await signedInTab(), open()];
    await tabs[1]?.keeper.start();
    idp.failNext = 1;
    idp.failWith = () => new ErrorResponse({ error: 'invalid_grant' });
    await vi.advanceTimersByTimeAsync(11_000);
    for (const { keeper } of tabs) {
      expect(keeper.snapshot()).toEqual({
        status: 'expired',
        reason: 'invalid_grant',
        final: true,
      });
    }
    expect((await marker.read()).active).toBe(false);
    expect(idp.requests).toBe(1); // the other tab's timer fired too, and read the outcome
    await vi.advanceTimersByTimeAsync(60_000);
    expect(idp.requests).toBe(1);
  });

  it('signing out in one tab signs out the others', async () => {
    const elsewhere = vi.fn();
    const tabs = [await signedInTab(), openTab(idp, network, marker, locks, 60_000, elsewhere)];
    await tabs[1]?.keeper.start();
    await tabs[0]?.keeper.signOut();
    await vi.advanceTimersByTimeAsync(0);
    expect(elsewhere).toHaveBeenCalledOnce();
    expect(tabs[1]?.tab.tokens).toBeNull();
    expect(tabs[1]?.keeper.snapshot().status).toBe('signed-out');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(idp.refreshes).toBe(0);
  });

  it('an idle timeout revokes the refresh token once and every tab drops its tokens', async () => {
    const tabs = [await signedInTab(), open()];
    await tabs[1]?.keeper.start();
    await vi.advanceTimersByTimeAsync(10_600); // one renewal: both tabs hold the rotated token
    // Both tabs' idle watches run out together.
    await Promise.all(tabs.map(({ keeper }) => keeper.endSession('idle_timeout')));
    await vi.advanceTimersByTimeAsync(0);
    expect(idp.revocations).toBe(1);
    for (const { tab, keeper } of tabs) {
      expect(tab.tokens).toBeNull();
      expect(keeper.snapshot()).toEqual({ status: 'expired', reason: 'idle_timeout', final: true });
    }
    expect((await marker.read()).active).toBe(false);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(idp.requests).toBe(1); // the renewal before; none after
  });

  it('alone after a reload, a persisted (DPoP-bound) refresh token restores the session', async () => {
    const first = await signedInTab();
    await marker.write({
      ...(await marker.read()),
      persisted: JSON.stringify({
        access_token: '',
        refresh_token: first.tab.tokens?.refresh_token,
      }),
      persistedUntil: Date.now() + 3_600_000,
    });
    const reloaded = openTab(idp, memoryTabNetwork<TabMessage>(), marker, locks); // no other tab to ask
    const starting = reloaded.keeper.start();
    await vi.advanceTimersByTimeAsync(300);
    await starting;
    expect(idp.refreshes).toBe(1);
    expect(reloaded.tab.tokens?.access_token).toBe('at-2');
    expect(reloaded.keeper.snapshot().status).toBe('active');
  });

  describe('a persisted (DPoP-bound) session ends at its lifetime, counted from sign-in', () => {
    const HOURS_8 = 8 * 3_600_000;
    const persisted = (refreshToken = 'rt-1') =>
      JSON.stringify({ access_token: '', refresh_token: refreshToken });
    async function signedInPersisting() {
      const first = openTab(idp, network, marker, locks, 60_000, undefined, HOURS_8);
      first.tab.persisting = true;
      first.tab.tokens = idp.signIn();
      await first.keeper.signedIn({
        serialized: JSON.stringify(first.tab.tokens),
        lifetimeMs: idp.lifetimeMs,
        persisted: persisted(),
      });
      return first;
    }

    it('renewals keep the lifetime the sign-in started', async () => {
      const signedInAt = Date.now();
      await signedInPersisting();
      expect((await marker.read()).persistedUntil).toBe(signedInAt + HOURS_8);
      await vi.advanceTimersByTimeAsync(60_000); // several renewals
      expect(idp.refreshes).toBeGreaterThan(3);
      const after = await marker.read();
      expect(after.persisted).toContain(`rt-${idp.refreshes + 1}`); // the rotated one is kept
      expect(after.persistedUntil).toBe(signedInAt + HOURS_8);
    });

    it('past it, the next page load deletes the record and never uses its refresh token', async () => {
      await signedInPersisting();
      // Every tab is closed (their timers stop); the app is opened again the next day.
      vi.clearAllTimers();
      vi.setSystemTime(Date.now() + HOURS_8 + 1_000);
      const requestsBefore = idp.requests;
      const reopened = openTab(
        idp,
        memoryTabNetwork<TabMessage>(),
        marker,
        locks,
        60_000,
        undefined,
        HOURS_8,
      );
      const starting = reopened.keeper.start();
      await vi.advanceTimersByTimeAsync(300);
      await starting;
      const after = await marker.read();
      expect(after.persisted).toBeUndefined();
      expect(after.persistedUntil).toBeUndefined();
      expect(idp.requests).toBe(requestsBefore);
      expect(reopened.log.count('persisted-expired')).toBe(1);
    });

    it('a record without a lifetime (kept by an older version) is deleted too', async () => {
      await marker.write({ generation: 3, active: true, persisted: persisted() });
      const reopened = openTab(
        idp,
        memoryTabNetwork<TabMessage>(),
        marker,
        locks,
        60_000,
        undefined,
        HOURS_8,
      );
      const starting = reopened.keeper.start();
      await vi.advanceTimersByTimeAsync(300);
      await starting;
      expect((await marker.read()).persisted).toBeUndefined();
      expect(idp.requests).toBe(0);
    });
  });

  it('a tab whose copy is older than the shared generation never uses its refresh token', async () => {
    const first = await signedInTab();
    const place = freezableJoin(network);
    const stale = openTab(idp, place.network, marker, locks);
    await stale.keeper.start(); // takes generation 1 from the first tab
    expect(stale.tab.tokens).toEqual({ access_token: 'at-1', refresh_token: 'rt-1' });
    // The first tab really renews (the API refused at-1) while the other hears nothing.
    place.freeze();
    expect(await first.keeper.renew('rejected', 'at-1')).toBe(true);
    expect(idp.refreshes).toBe(1);
    expect(first.tab.tokens?.refresh_token).toBe('rt-2');
    expect(stale.tab.tokens?.refresh_token).toBe('rt-1'); // its copy is now the stale one
    place.thaw();
    // Its request with at-1 is refused too: under the lock it must catch up, not send rt-1.
    expect(await stale.keeper.renew('rejected', 'at-1')).toBe(true);
    expect(idp.requests).toBe(1);
    expect(idp.reuse).toBe(0);
    expect(stale.tab.tokens).toEqual(first.tab.tokens);
    expect(stale.log.count('renew-skipped')).toBe(1);
  });
});
