import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './database-unavailable.ts';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['connection refused', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['connection reset', withCode('read ECONNRESET', 'ECONNRESET')],
    ['cut mid-query', new Error('Connection terminated unexpectedly')],
    ['pool connect timeout', new Error('timeout exceeded when trying to connect')],
    [
      'server shutting down',
      withCode('terminating connection due to administrator command', '57P01'),
    ],
    ['server starting', withCode('the database system is starting up', '57P03')],
    ['too many connections', withCode('sorry, too many clients already', '53300')],
    ['a connection exception', withCode('connection failure', '08006')],
    ['no answer in time (query_timeout)', new Error('Query read timeout')],
    ['statement_timeout', withCode('canceling statement due to statement timeout', '57014')],
    ['lock_timeout', withCode('canceling statement due to lock timeout', '55P03')],
    [
      'idle transaction ended',
      withCode('terminating connection due to idle-in-transaction timeout', '25P03'),
    ],
    ['wrapped', new Error('list failed', { cause: withCode('x', 'ECONNREFUSED') })],
    ['both addresses of localhost', new AggregateError([withCode('a', 'ECONNREFUSED')], '')],
  ])('%s: yes', (_what, err) => expect(isDatabaseUnavailable(err)).toBe(true));

  it.each([
    ['a unique violation', withCode('duplicate key value', '23505')],
    ['a syntax error', withCode('syntax error at or near', '42601')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error', 'ECONNREFUSED'],
  ])('%s: no', (_what, err) => expect(isDatabaseUnavailable(err)).toBe(false));
});
