import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * `<link rel=modulepreload>` for lazily imported modules and the chunks they import, so
 * their download starts with the entry's instead of after the entry has run. main.tsx
 * imports these at once (or on a callback, right after the code exchange has started).
 */
function modulepreloadLazy(moduleSuffixes: string[]): Plugin {
  return {
    name: 'modulepreload-lazy',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, { bundle }) {
        const chunks = Object.values(bundle ?? {}).flatMap((c) => (c.type === 'chunk' ? [c] : []));
        const entry = chunks.find((c) => c.isEntry);
        const alreadyLoaded = new Set([entry?.fileName, ...(entry?.imports ?? [])]);
        const files = new Set<string>();
        const add = (fileName: string) => {
          if (files.has(fileName) || alreadyLoaded.has(fileName)) return;
          files.add(fileName);
          for (const imported of chunks.find((c) => c.fileName === fileName)?.imports ?? []) {
            add(imported);
          }
        };
        for (const suffix of moduleSuffixes) {
          const lazy = chunks.find((c) => c.facadeModuleId?.endsWith(suffix));
          if (!lazy) throw new Error(`no chunk for ${suffix}`);
          add(lazy.fileName);
        }
        return [...files].map((file) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` },
          injectTo: 'head' as const,
        }));
      },
    },
  };
}

/**
 * react-router's package exports only its development build (dev warnings on, more code);
 * the production build sits beside it. Production bundles take that one.
 */
const reactRouterProduction = [
  { find: /^react-router$/, replacement: 'react-router/dist/production/index.mjs' },
  { find: /^react-router\/dom$/, replacement: 'react-router/dist/production/dom-export.mjs' },
].map(({ find, replacement }) => ({
  find,
  replacement: fileURLToPath(new URL(`node_modules/${replacement}`, import.meta.url)),
}));

export default defineConfig(({ command }) => ({
  plugins: [
    react(),
    modulepreloadLazy(['/src/auth/auth-core.ts', '/src/app-start.tsx', '/src/auth/auth-layer.tsx']),
  ],
  resolve: { alias: command === 'build' ? reactRouterProduction : [] },
  build: {
    // Source maps stay out of the served bundle; no token ever passes through the build.
    sourcemap: false,
    target: 'es2022',
    // Every browser this targets supports <link rel=modulepreload>: no polyfill in the bundle.
    modulePreload: { polyfill: false },
  },
  server: { port: 5173, strictPort: true },
}));
