import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * `<link rel=modulepreload>` for lazily imported modules and the chunks they import, so
 * their download starts with the entry's instead of after the entry has run. start-app.ts
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
          // The chunk that holds the module (a group's chunk has no facade module).
          const lazy = chunks.find((c) => c.moduleIds.some((id) => id.endsWith(suffix)));
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

/**
 * The chunks follow src/'s folders. Each group is a few folders and everything they import
 * statically that a group before it has not taken: the start-up phases (the entry), then
 * the shell, the auth core, the auth layer's React side, the contacts screens. Left alone
 * the bundler makes ~20 small shared chunks, each a request, a compile and a code-cache
 * write on the way back from the provider. scripts/chunk-layering.test.ts checks that
 * the layering holds (no React in the auth core, no auth core in the shell).
 */
const folders = (...paths: string[]) =>
  new RegExp(`/(${paths.map((p) => p.replaceAll('/', '\\/')).join('|')})/`);

const chunkGroups = [
  // What index.html loads: src/main.tsx and the React-free start-up phases in src/app/.
  { name: 'start', test: /\/src\/(main\.tsx|app\/[\w-]+\.ts)$/, priority: 5 },
  // React, the router and the shell: the home page paints with it.
  {
    name: 'app-start',
    test: folders('node_modules/(react|react-dom|scheduler|react-router)', 'src/app/shell'),
    priority: 4,
  },
  // The sign-in and session machinery, no React: a callback evaluates it before React. The
  // ID token's checks (auth/id-token) stay a lazy chunk of their own, with jose.
  {
    name: 'auth-core',
    test: folders(
      'node_modules/(oidc-client-ts|jwt-decode)',
      'src/app/services',
      'src/auth/(credential|dpop|provider|sign-in)',
      'src/session(?!/react/)',
    ),
    priority: 3,
  },
  // The auth layer's React side: react-oidc-context, the session's React adapters, the chrome.
  {
    name: 'auth-layer',
    test: folders('node_modules/react-oidc-context', 'src/app/auth-layer', 'src/session/react'),
    priority: 2,
  },
  // Every /contacts screen: opening a contact or the form never waits for another download.
  { name: 'contacts', test: folders('src/routes/contacts'), priority: 1 },
  // Import and export, with their parsers (ical.js, Papa Parse): only when someone opens them.
  {
    name: 'contacts-transfer',
    test: folders(
      'node_modules/(ical\\.js|papaparse)',
      'src/routes/contacts-transfer',
      'src/contacts/transfer',
    ),
    priority: 0,
  },
];

export default defineConfig(({ command }) => ({
  plugins: [
    react(),
    modulepreloadLazy([
      '/src/app/services/start-services.ts',
      '/src/app/shell/render-shell.tsx',
      '/src/app/auth-layer/auth-layer.tsx',
    ]),
  ],
  resolve: { alias: command === 'build' ? reactRouterProduction : [] },
  build: {
    // Source maps stay out of the served bundle; no token ever passes through the build.
    sourcemap: false,
    target: 'es2022',
    // Every browser this targets supports <link rel=modulepreload>: no polyfill in the bundle.
    modulePreload: { polyfill: false },
    // One stylesheet, linked by index.html: Vite holds a lazily imported chunk that has CSS
    // of its own until that stylesheet has loaded (a request and a wait on the callback page).
    cssCodeSplit: false,
    rolldownOptions: { output: { codeSplitting: { groups: chunkGroups } } },
  },
  server: { port: 5173, strictPort: true },
}));
