import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  build: {
    // Source maps stay out of the served bundle; no token ever passes through the build.
    sourcemap: false,
    target: 'es2022',
    // Every browser this targets supports <link rel=modulepreload>: no polyfill in the bundle.
    modulePreload: { polyfill: false },
  },
  server: { port: 5173, strictPort: true },
});
