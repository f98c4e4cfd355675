// Tells "the database cannot be reached right now" (connection refused, cut, timed out, the
// server shutting down or full, or too slow: DATABASE_TIMEOUT_MS) from every other error, so
// the API answers those 503 with Retry-After and keeps 500 for real faults. node-postgres
// reports the former as Node system errors, a handful of its own messages without a code, or
// SQLSTATE classes 08/57P/53300 and the timeouts 57014/55P03/25P03.

const SYSTEM_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
/**
 * SQLSTATE: admin/crash shutdown, cannot connect now, too many connections; and the server's
 * own timeouts (statement, lock, idle transaction: postgres-store.ts poolTimeouts).
 */
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300', '57014', '55P03', '25P03']);
/** node-postgres / pg-pool errors that carry no code. */
const MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Client was closed and is not queryable$/,
  /^Query read timeout$/, // query_timeout: no answer in time
];

export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (SYSTEM_CODES.has(code) || SERVER_CODES.has(code) || code.startsWith('08')) return true;
    }
    const { message: text } = e;
    if (MESSAGES.some((message) => message.test(text))) return true;
    if (e instanceof AggregateError && e.errors.some(isDatabaseUnavailable)) return true;
    e = e.cause;
  }
  return false;
}
