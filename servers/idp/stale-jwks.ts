// Test mode: right after a key rotation, a browser's read of the JWKS can get the keys from
// before it (as a lagging cache would answer) while the provider already signs with the new
// key: what a relying party must survive (refetch for an unknown kid).
import type { JWK } from 'jose';
import type { Middleware } from 'koa';
import type { TestMode } from './test-mode.ts';

export interface StaleJwks {
  keys: JWK[];
  reads: number;
}

/** A JWK without its private members, as the JWKS publishes it. */
export function publicPart({ d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...key }: JWK): JWK {
  return key;
}

/**
 * Test mode: a browser's read of the JWKS right after a rotation gets the keys from before
 * it, as a lagging cache would answer; the provider already signs with the new key. The
 * API's reads (no Origin) get the real set.
 */
export function serveStaleJwks(mode: TestMode, stale: () => StaleJwks | undefined): Middleware {
  return async (ctx, next) => {
    const keys = stale();
    if (ctx.method !== 'GET' || ctx.path !== '/jwks' || !ctx.get('origin') || !keys?.reads) {
      return next();
    }
    keys.reads -= 1;
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.type = 'application/jwk-set+json';
    ctx.body = { keys: keys.keys };
    mode.log.record({ event: 'fault:stale-jwks', detail: `${keys.keys.length} keys` });
  };
}
