import { describe, expect, it } from 'vitest';
import { readTrustedProxies, trustProxyOption } from './trusted-proxies.ts';

describe('readTrustedProxies', () => {
  it('reads addresses, CIDR ranges and the named ranges; none when unset', () => {
    expect(readTrustedProxies({}, 'X_PROXIES')).toEqual([]);
    expect(
      readTrustedProxies(
        { X_PROXIES: ' 10.0.0.0/8, ::1,192.0.2.7 , fd00::/8, loopback' },
        'X_PROXIES',
      ),
    ).toEqual(['10.0.0.0/8', '::1', '192.0.2.7', 'fd00::/8', 'loopback']);
  });

  it.each(['*', 'true', 'proxy.internal', '10.0.0.0/33', '::1/129', '10.0.0.1/8/8', '10.0.0.0/x'])(
    'refuses %s, naming the variable',
    (bad) => {
      expect(() => readTrustedProxies({ X_PROXIES: bad }, 'X_PROXIES')).toThrow(
        `X_PROXIES must list IP addresses or CIDR ranges (or loopback, linklocal, uniquelocal), got "${bad}"`,
      );
    },
  );

  it('never trusts every peer: no list is `false`, not `true`', () => {
    expect(trustProxyOption([])).toBe(false);
    expect(trustProxyOption(['127.0.0.1'])).toEqual(['127.0.0.1']);
  });
});
