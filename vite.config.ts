import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  build: {
    // Source maps stay out of the served bundle; no token ever passes through the build.
    sourcemap: false,
    target: 'es2022',
  },
  server: { port: 5173, strictPort: true },
});
