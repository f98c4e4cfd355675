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
 * Fewer, larger chunks on the way back from the provider. Left alone the bundler makes ~20
 * small shared chunks (26 JS files loaded by a callback page); each costs a request, a
 * compile and a code-cache write (bench:sign-in). Groups, no module in two:
 * - auth-core: the sign-in and session machinery, no React (a callback evaluates it before
 *   React, to send the code exchange sooner);
 * - app-start: React, the router and the shell (the home page paints with it, before the
 *   auth core has loaded);
 * - sign-in-shared: the few modules both of them and the error screen need.
 * scripts/chunk-layering.test.ts checks that this layering holds.
 */
const matchesAny = (patterns: RegExp[]) => (id: string) =>
  patterns.some((pattern) => pattern.test(id));
const notIn = (patterns: RegExp[]) => (id: string) => !matchesAny(patterns)(id);

// What the error screen needs to name a failure and offer "Sign in again": it must show even
// when the auth core could not be downloaded.
const signInSharedModule =
  /\/src\/(auth\/(id-token\/id-token-error|credential\/session-ended-error|sign-in\/(redirect-breaker|return-to|sign-in))|contacts\/contacts-api-error)\.ts$/;

const authCoreModule = (id: string) =>
  matchesAny([
    /\/node_modules\/(oidc-client-ts|jwt-decode)\//,
    /\/src\/auth\/[\w/-]+\.ts$/,
    /\/src\/app\/services\/[\w-]+\.ts$/,
    /\/src\/session\/[\w-]+\.ts$/,
    /\/src\/lib\/api-base\.ts$/,
    /\/src\/contacts\/contacts-(http|api|api-error)\.ts$/,
    /\/src\/lib\/www-authenticate\.ts$/,
    // What a callback requests right after the sign-in (first-contacts-page.ts).
    /\/src\/(contacts\/first-contacts-page|routes\/contacts-context)\.ts$/,
  ])(id) &&
  notIn([
    // The entry's own (index.html loads them first anyway).
    /\/src\/auth\/(id-token\/load-id-token-validator|sign-in\/pending-callback|dpop\/dpop-key-database)\.ts$/,
    // jose and the checks, loaded only when an ID token arrives.
    /\/src\/auth\/id-token\/(id-token-validator|verify-id-token|at-hash|renewal-rules)\.ts$/,
    // Shared with the React side, or only used there.
    /\/src\/auth\/(sign-in\/(sign-out|local-sign-out-notice)|provider\/provider-choice)\.ts$/,
    signInSharedModule,
  ])(id);

const appStartModule = matchesAny([
  /\/node_modules\/(react|react-dom|scheduler|react-router)\//,
  /\/src\/app\/shell\/(render-shell|app|router|root-layout|lazy-route-error)\.tsx$/,
  /\/src\/app\/shell\/(auth-layer-slot|shell-context)\.ts$/,
  /\/src\/routes\/(app-services|home-route)\.tsx$/,
  /\/src\/ui\/list-skeleton\.tsx$/,
  /\/src\/lib\/download-failure\.ts$/,
  /\/src\/auth\/sign-in\/local-sign-out-notice\.ts$/,
]);

const chunkGroups = [
  { name: 'sign-in-shared', test: signInSharedModule, includeDependenciesRecursively: false },
  { name: 'auth-core', test: authCoreModule, includeDependenciesRecursively: false },
  { name: 'app-start', test: appStartModule, includeDependenciesRecursively: false },
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
