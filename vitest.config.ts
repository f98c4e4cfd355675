import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [react()],
        test: {
          name: 'spa',
          environment: 'jsdom',
          include: ['src/**/*.test.{ts,tsx}'],
          setupFiles: ['src/test/setup.ts'],
        },
      },
      {
        test: {
          name: 'servers',
          environment: 'node',
          include: ['servers/**/*.test.ts', 'scripts/**/*.test.ts'],
          testTimeout: 20_000,
          // beforeAll hooks start real servers and make RSA keys: seconds under a loaded CI machine
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
