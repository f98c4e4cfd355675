// The unit tests the mutation gate runs (scripts/mutation.ts): only the fast tests of one
// module at a time, named in MUTATION_TESTS (comma-separated), in the environment their
// side needs (MUTATION_ENVIRONMENT: jsdom for the SPA, node for the servers).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const tests = (process.env.MUTATION_TESTS ?? '').split(',').filter(Boolean);
const spa = process.env.MUTATION_ENVIRONMENT !== 'node';

export default defineConfig({
  plugins: spa ? [react()] : [],
  test: {
    include: tests,
    environment: spa ? 'jsdom' : 'node',
    setupFiles: spa ? ['src/test/setup.ts'] : [],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
