// The security core as the mutation gate (scripts/mutation.ts) and the coverage report
// (vitest.config.ts, npm run test:coverage) both see it: each module's code and the fast
// unit tests that guard it. TESTING.md records the scores.

/** The share of mutants each module's tests must kill. */
export const MUTATION_TARGET_PERCENT = 85;

interface Coverage {
  statements: number;
  branches: number;
  functions: number;
  lines: number;
}

/**
 * The least coverage (percent) of each file of the security core: what its unit tests
 * reached when measured (TESTING.md), rounded down, so coverage can only go up.
 */
export const COVERAGE_THRESHOLDS: Record<string, Coverage> = {
  'servers/contacts-api/authorize.ts': { statements: 87, branches: 75, functions: 100, lines: 84 },
  'servers/contacts-api/dpop-proof.ts': { statements: 94, branches: 86, functions: 100, lines: 95 },
  'servers/contacts-api/verify-access-token.ts': {
    statements: 86,
    branches: 80,
    functions: 100,
    lines: 96,
  },
  'src/auth/id-token/at-hash.ts': { statements: 85, branches: 50, functions: 100, lines: 100 },
  'src/auth/id-token/renewal-rules.ts': {
    statements: 100,
    branches: 100,
    functions: 100,
    lines: 100,
  },
  'src/auth/id-token/verify-id-token.ts': {
    statements: 90,
    branches: 82,
    functions: 100,
    lines: 92,
  },
  'src/auth/provider/validating-user-manager.ts': {
    statements: 86,
    branches: 91,
    functions: 87,
    lines: 90,
  },
  'src/auth/sign-in/complete-sign-in.ts': {
    statements: 92,
    branches: 80,
    functions: 100,
    lines: 100,
  },
  'src/auth/sign-in/return-to.ts': { statements: 100, branches: 100, functions: 100, lines: 100 },
  'src/session/renewal-timing.ts': { statements: 100, branches: 100, functions: 100, lines: 100 },
  'src/session/renewal.ts': { statements: 88, branches: 61, functions: 90, lines: 98 },
  'src/session/token-timeline.ts': { statements: 100, branches: 100, functions: 100, lines: 100 },
};

export interface SecurityModule {
  name: string;
  /**
   * Where the tests run: node unless they need a DOM. jsdom costs about a second per test
   * run, and the gate runs the tests once per mutant.
   */
  environment: 'jsdom' | 'node';
  mutate: string[];
  tests: string[];
}

export const securityModules: SecurityModule[] = [
  {
    name: 'id-token-verification',
    environment: 'jsdom',
    mutate: ['src/auth/id-token/verify-id-token.ts', 'src/auth/id-token/at-hash.ts'],
    tests: ['src/auth/id-token/verify-id-token.test.ts', 'src/auth/id-token/at-hash.test.ts'],
  },
  {
    name: 'id-token-renewal-rules',
    environment: 'jsdom',
    mutate: ['src/auth/id-token/renewal-rules.ts'],
    tests: [
      'src/auth/id-token/renewal-rules.test.ts',
      'src/auth/provider/validating-user-manager.test.ts',
    ],
  },
  {
    name: 'return-to',
    environment: 'node',
    mutate: ['src/auth/sign-in/return-to.ts'],
    tests: ['src/auth/sign-in/return-to.test.ts'],
  },
  {
    name: 'callback-checks',
    environment: 'jsdom',
    mutate: [
      'src/auth/provider/validating-user-manager.ts',
      'src/auth/sign-in/complete-sign-in.ts',
    ],
    tests: [
      'src/auth/provider/validating-user-manager.test.ts',
      'src/auth/sign-in/complete-sign-in.test.ts',
    ],
  },
  {
    name: 'access-token-verification',
    environment: 'node',
    mutate: ['servers/contacts-api/verify-access-token.ts'],
    tests: [
      'servers/contacts-api/verify-access-token.test.ts',
      'servers/contacts-api/access-token-profiles.test.ts',
    ],
  },
  {
    name: 'dpop-proof-verification',
    environment: 'node',
    mutate: ['servers/contacts-api/dpop-proof.ts'],
    tests: [
      'servers/contacts-api/dpop-proof.test.ts',
      'servers/contacts-api/api-dpop.test.ts',
      'servers/contacts-api/auth-hook.test.ts',
    ],
  },
  {
    name: 'scope-and-cnf-authorization',
    environment: 'node',
    mutate: ['servers/contacts-api/authorize.ts'],
    tests: [
      'servers/contacts-api/authorize.test.ts',
      'servers/contacts-api/auth-hook.test.ts',
      'servers/contacts-api/api-dpop.test.ts',
    ],
  },
  {
    name: 'session-keeper-decisions',
    environment: 'node',
    mutate: [
      'src/session/renewal.ts',
      'src/session/token-timeline.ts',
      'src/session/renewal-timing.ts',
    ],
    tests: [
      'src/session/session-keeper.test.ts',
      'src/session/renewal.test.ts',
      'src/session/token-timeline.test.ts',
    ],
  },
];
