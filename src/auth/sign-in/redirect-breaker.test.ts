import { beforeEach, describe, expect, it } from 'vitest';
import {
  RedirectLoopError,
  recordAutomaticSignIn,
  resetAutomaticSignIns,
} from './redirect-breaker.ts';

describe('the automatic sign-in circuit breaker', () => {
  beforeEach(() => sessionStorage.clear());

  it('allows three automatic redirects, then stops', () => {
    const t = 1_000_000;
    recordAutomaticSignIn(sessionStorage, t);
    recordAutomaticSignIn(sessionStorage, t + 1000);
    recordAutomaticSignIn(sessionStorage, t + 2000);
    expect(() => recordAutomaticSignIn(sessionStorage, t + 3000)).toThrow(RedirectLoopError);
  });

  it('forgets attempts older than two minutes', () => {
    const t = 1_000_000;
    for (const offset of [0, 1000, 2000]) recordAutomaticSignIn(sessionStorage, t + offset);
    expect(() => recordAutomaticSignIn(sessionStorage, t + 2 * 60_000 + 2001)).not.toThrow();
  });

  it('starts afresh after a reset', () => {
    for (const offset of [0, 1, 2]) recordAutomaticSignIn(sessionStorage, offset);
    resetAutomaticSignIns();
    expect(() => recordAutomaticSignIn(sessionStorage, 3)).not.toThrow();
  });

  it.each(['not json', '{"a":1}', '[null,"x"]'])('survives a corrupt record (%s)', (value) => {
    sessionStorage.setItem('oidc-contacts.auto-sign-in', value);
    expect(() => recordAutomaticSignIn()).not.toThrow();
  });
});
