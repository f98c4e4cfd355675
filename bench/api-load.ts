// What the API benchmarks send, and one tweak to the load generator they share.
import { createRequire } from 'node:module';

/** Realistic search prefixes; each connection cycles through them. */
export const SEARCHES = [
  'zoe',
  'mul',
  'emile',
  'gar',
  'acme',
  'sm',
  'oder',
  'fj',
  'luc',
  'nov',
  'ch',
  '+44',
];

/**
 * autocannon appends every response body to a string (`body += chunk`: a UTF-8 decode of each
 * 15 KB page) for callbacks these benchmarks never use. On a 2-core machine that CPU is taken
 * from the API under test (≈ 50 µs per page), so bodies are counted (autocannon counts bytes
 * elsewhere) but not kept. In this process only: worker threads load their own copy.
 */
export function dropResponseBodies(): void {
  const queue = createRequire(import.meta.url)('autocannon/lib/pipelinedRequestsQueue.js');
  queue.prototype.addBody = () => {};
}
