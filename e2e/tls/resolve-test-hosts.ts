// Test-only preload (`node --import ./e2e/tls/resolve-test-hosts.ts`): every `*.test` host
// name resolves to 127.0.0.1, as Chromium's --host-resolver-rules do for the browser, so the
// SPA server and the API reach the IdP's public https URL through nginx like any client.
// IMPORTANT: only the tls e2e environment loads this; nothing of it exists in production.
import dns from 'node:dns';

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

const original = dns.lookup;
const isTestHost = (hostname: string) => hostname.endsWith('.test');

// net.connect (and so fetch) calls dns.lookup at connect time: replacing it is enough.
Object.assign(dns, {
  lookup(hostname: string, options: unknown, callback?: unknown) {
    const done = (typeof options === 'function' ? options : callback) as LookupCallback;
    if (!isTestHost(hostname)) {
      return (original as (...args: unknown[]) => void)(hostname, options, callback);
    }
    const all = typeof options === 'object' && options !== null && 'all' in options && options.all;
    process.nextTick(() =>
      all ? done(null, [{ address: '127.0.0.1', family: 4 }]) : done(null, '127.0.0.1', 4),
    );
  },
});
