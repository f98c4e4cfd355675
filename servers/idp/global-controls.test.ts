// Key rotation and the clock are global to an IdP: this file has an IdP to itself.
import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  type JSONWebKeySet,
  jwtVerify,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockShiftSeconds } from './test-clock.ts';
import { control, refresh, signInAs, startTestIdp, type TestIdp } from './test-kit.ts';

let t: TestIdp;
beforeAll(async () => {
  t = await startTestIdp(true);
});
afterAll(async () => {
  await control(t.issuer, 'POST', '/reset');
  await t?.stop();
});

const jwks = async () => (await (await fetch(new URL('/jwks', t.issuer))).json()) as JSONWebKeySet;
const kids = async () => (await jwks()).keys.map((key) => key.kid);

describe('key rotation', () => {
  it('keeping the old keys: new tokens get a new kid, old tokens still verify, sessions survive', async () => {
    const before = await signInAs(t.issuer, 'worker1');
    const oldKid = decodeProtectedHeader(before.tokens.id_token ?? '').kid;
    const { body } = await control(t.issuer, 'POST', '/keys/rotate', { keepOld: true });
    expect(body.kids).toHaveLength(4);
    expect(await kids()).toEqual(body.kids);

    const renewed = await refresh(t.issuer, before.tokens.refresh_token);
    expect(renewed.status).toBe(200);
    const newKid = decodeProtectedHeader(renewed.body.id_token ?? '').kid;
    expect(newKid).not.toBe(oldKid);
    const keySet = createLocalJWKSet(await jwks());
    await jwtVerify(before.tokens.id_token ?? '', keySet);
    await jwtVerify(renewed.body.id_token ?? '', keySet);
  });

  it('dropping the old keys: they leave the JWKS at once', async () => {
    const before = await kids();
    const { body } = await control(t.issuer, 'POST', '/keys/rotate', { keepOld: false });
    expect(body.kids).toHaveLength(2);
    expect((await kids()).some((kid) => before.includes(kid))).toBe(false);
    const after = await signInAs(t.issuer, 'worker2');
    expect(body.kids).toContain(decodeProtectedHeader(after.tokens.id_token ?? '').kid);
  });
  it('with stale reads: the next browser read still gets the keys from before, the rest the new ones', async () => {
    const before = await kids();
    const { body } = await control(t.issuer, 'POST', '/keys/rotate', {
      keepOld: true,
      staleJwksReads: 1,
    });
    const browserRead = async () => {
      const response = await fetch(new URL('/jwks', t.issuer), {
        headers: { Origin: 'http://app.example' },
      });
      expect(response.headers.get('access-control-allow-origin')).toBeTruthy();
      return ((await response.json()) as JSONWebKeySet).keys.map((key) => key.kid);
    };
    expect(await kids()).toEqual(body.kids); // a server's read: the real set
    const stale = await browserRead();
    expect(stale).toEqual(before);
    const rotated = body.kids as string[];
    expect(stale.every((kid) => kid && rotated.includes(kid))).toBe(true); // old keys kept
    expect(await browserRead()).toEqual(body.kids);
    const { keys } = await (
      await fetch(new URL('/jwks', t.issuer), { headers: { Origin: 'http://app.example' } })
    ).json();
    for (const key of keys) expect(key).not.toHaveProperty('d');
  });

  it('refuses a stale read count that is not a whole number', async () => {
    const { status } = await control(t.issuer, 'POST', '/keys/rotate', { staleJwksReads: -1 });
    expect(status).toBe(400);
  });
});

describe('clock shift', () => {
  it('moves every time the IdP stamps, until reset', async () => {
    const { body } = await control(t.issuer, 'POST', '/clock', { shiftSeconds: 3600 });
    expect(body.clockShiftSeconds).toBe(3600);
    const { tokens } = await signInAs(t.issuer, 'worker3');
    const realNow = Math.floor(performance.timeOrigin / 1000 + performance.now() / 1000);
    expect(decodeJwt(tokens.id_token ?? '').iat).toBeGreaterThanOrEqual(realNow + 3590);
    await control(t.issuer, 'POST', '/reset');
    expect(clockShiftSeconds()).toBe(0);
    const again = await signInAs(t.issuer, 'worker3');
    expect(decodeJwt(again.tokens.id_token ?? '').iat).toBeLessThan(realNow + 60);
  });
});
