// Test mode (IDP_TEST_MODE=1): the state behind the QA controls, and the per-run secret.
// The secret comes from IDP_TEST_SECRET (Playwright's config makes one per run) or is made
// here; either way it is written to <DATA_DIR>/idp-test-secret (0600) for local tools. It
// is handed to Node-side fixtures only, never to a browser.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { JWK } from 'jose';
import type { LocalEnv } from '../local-env.ts';
import { FaultBook } from './fault-book.ts';
import { RequestLog } from './request-log.ts';

export const TEST_SECRET_FILE = 'idp-test-secret';
const MIN_SECRET_LENGTH = 16;

export interface TestMode {
  secret: string;
  faults: FaultBook;
  log: RequestLog;
  spaOrigin: string;
  /** The IdP's current private signing keys (they change on rotation). */
  signingKeys(): readonly JWK[];
}

export async function prepareTestMode(
  env: LocalEnv,
  signingKeys: () => readonly JWK[],
): Promise<TestMode> {
  const secret = env.idpTestSecret ?? randomBytes(32).toString('base64url');
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`IDP_TEST_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  await writeFile(path.join(env.dataDir, TEST_SECRET_FILE), secret, { mode: 0o600 });
  return {
    secret,
    faults: new FaultBook(),
    log: new RequestLog(),
    spaOrigin: env.spaOrigin,
    signingKeys,
  };
}

export function testModeBanner(env: LocalEnv): string {
  const line = '!'.repeat(78);
  return [
    line,
    '!!  TEST MODE: this IdP accepts QA test controls (faults, key rotation, clock).',
    `!!  Controls: ${env.idpIssuer}/test-controls  (secret in ${path.join(env.dataDir, TEST_SECRET_FILE)})`,
    '!!  Never run it like this where real people sign in. Unset IDP_TEST_MODE to turn it off.',
    line,
  ].join('\n');
}
