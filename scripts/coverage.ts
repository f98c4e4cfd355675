// npm run test:coverage: line, branch and function coverage of the security core from its
// fast unit tests (the modules and tests of the mutation gate, scripts/security-modules.ts),
// printed per file; fails when a file is under its floor in COVERAGE_THRESHOLDS.
import { startVitest } from 'vitest/node';
import { COVERAGE_THRESHOLDS, securityModules } from './security-modules.ts';

const unique = (items: string[]) => [...new Set(items)];
const code = unique(securityModules.flatMap((module) => module.mutate));
const tests = unique(securityModules.flatMap((module) => module.tests));

const vitest = await startVitest('test', tests, {
  run: true,
  watch: false,
  coverage: {
    enabled: true,
    provider: 'v8',
    include: code,
    reporter: ['text'],
    reportsDirectory: 'coverage',
    thresholds: COVERAGE_THRESHOLDS,
  },
});
await vitest.close();
