// The layering of src/ (README "Layout"), held by reading every import: a module may import
// only from its own folder and from the layers its line below allows, and no two folders
// may import each other, however indirectly. Type-only imports count too: a type that two
// layers share belongs below both. servers/ never import src/; what both need lives in
// servers/shared/, which imports nothing else.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseSync } from 'vite';
import { describe, expect, it } from 'vitest';

/** Top to bottom: who may import whom (besides its own folder and its sub-folders' parent). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  main: ['app'],
  app: ['routes', 'contacts', 'session', 'auth', 'config', 'ui', 'lib', 'shared'],
  routes: ['contacts', 'session', 'auth', 'ui', 'config', 'lib'],
  contacts: ['ui', 'lib', 'shared'],
  session: ['auth', 'config', 'lib'],
  auth: ['config', 'lib'],
  config: ['lib'],
  ui: [],
  lib: [],
  shared: [],
  // Test support (src/test): only tests import it.
  test: ['contacts', 'session', 'auth', 'config', 'ui', 'lib', 'shared'],
};

const root = path.resolve(import.meta.dirname, '..');

export interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
}

function filesUnder(dir: string): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.tsx?$/.test(file))
    .map((file) => path.join(dir, file));
}

/** Every relative import of `file` (repo-relative paths), static, re-exported or dynamic. */
export function importsOf(file: string, source: string): Import[] {
  const { module } = parseSync(file, source);
  const found: { spec: string; typeOnly: boolean }[] = [
    ...module.staticImports.map((i) => ({
      spec: i.moduleRequest.value,
      typeOnly: i.entries.length > 0 && i.entries.every((e) => e.isType),
    })),
    ...module.staticExports.flatMap((e) =>
      e.entries.flatMap((entry) =>
        entry.moduleRequest ? [{ spec: entry.moduleRequest.value, typeOnly: entry.isType }] : [],
      ),
    ),
    ...module.dynamicImports.map((d) => ({
      spec: source.slice(d.moduleRequest.start, d.moduleRequest.end).replace(/^['"`]|['"`]$/g, ''),
      typeOnly: false,
    })),
  ];
  return found
    .filter(({ spec }) => spec.startsWith('.'))
    .map(({ spec, typeOnly }) => ({
      from: file,
      to: path.normalize(path.join(path.dirname(file), spec)),
      typeOnly,
    }));
}

/** `src/auth/sign-in/x.ts` → folder `auth/sign-in`, layer `auth`; servers/shared → `shared`. */
export function placeOf(file: string): { layer: string; folder: string } | null {
  if (file.startsWith('servers/shared/')) return { layer: 'shared', folder: 'shared' };
  if (!file.startsWith('src/')) return null;
  const folder = path.dirname(file.slice('src/'.length));
  if (folder === '.') return { layer: 'main', folder: 'main' };
  return { layer: folder.split('/')[0] ?? folder, folder };
}

const isTest = (file: string) => /\.test\.tsx?$/.test(file);

/** The arrows the layering does not allow, as `from → to` lines. */
export function wrongWay(imports: readonly Import[]): string[] {
  return imports.flatMap(({ from, to }) => {
    const source = placeOf(from);
    const target = placeOf(to);
    if (from.startsWith('servers/') && !from.startsWith('servers/shared/')) {
      return to.startsWith('src/') ? [`${from} → ${to} (servers never import src/)`] : [];
    }
    if (!source || !target) return [`${from} → ${to} (outside src/ and servers/shared/)`];
    if (source.layer === target.layer) {
      // Inside a layer a folder may use its parent, never a folder below it: the React
      // adapters in session/react use session/, not the reverse.
      const down = target.folder.startsWith(`${source.folder}/`);
      return down ? [`${from} → ${to} (a folder does not import its sub-folders)`] : [];
    }
    const allowed = [...(MAY_IMPORT[source.layer] ?? []), ...(isTest(from) ? ['test'] : [])];
    return allowed.includes(target.layer)
      ? []
      : [`${from} → ${to} (${source.layer} → ${target.layer})`];
  });
}

/** Folders that reach each other through imports (strongly connected, Tarjan). */
export function folderCycles(imports: readonly Import[]): string[][] {
  const edges = new Map<string, Set<string>>();
  // Tests sit beside their code and reach into test support: not the app's structure.
  for (const { from, to } of imports.filter(({ from }) => !isTest(from))) {
    const a = placeOf(from)?.folder;
    const b = placeOf(to)?.folder;
    if (!a || !b || a === b) continue;
    if (!edges.has(a)) edges.set(a, new Set());
    edges.get(a)?.add(b);
  }
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      for (;;) {
        const member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
        if (member === node) break;
      }
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return cycles;
}

const files = [...filesUnder('src'), ...filesUnder('servers')];
const allImports = files.flatMap((file) =>
  importsOf(file, readFileSync(path.join(root, file), 'utf8')),
);

// Arrows and cycles left from before the layers had folders. The commits that finish the
// restructuring take them out, and the list goes with them: an entry no longer found fails
// as much as a new arrow does.
const KNOWN_WRONG_WAY = [
  'src/main.tsx → src/auth/dpop/dpop-key-database.ts (main → auth)',
  'src/main.tsx → src/auth/id-token/load-id-token-validator.ts (main → auth)',
  'src/main.tsx → src/auth/sign-in/pending-callback.ts (main → auth)',
  'src/main.tsx → src/config/config-snapshot.ts (main → config)',
  'src/main.tsx → src/config/load-config.ts (main → config)',
  'src/main.tsx → src/lib/clock.ts (main → lib)',
  'src/main.tsx → src/ui/styles.css (main → ui)',
  'src/contacts/contacts-toolbar.tsx → src/routes/contacts-context.ts (contacts → routes)',
  'src/contacts/first-contacts-page.ts → src/routes/app-services.tsx (contacts → routes)',
  'src/contacts/first-contacts-page.ts → src/routes/contacts-context.ts (contacts → routes)',
  'src/contacts/write-access-notice.tsx → src/auth/sign-in/write-access.ts (contacts → auth)',
  'src/contacts/write-access-notice.tsx → src/routes/app-services.tsx (contacts → routes)',
  'src/contacts/write-access-notice.tsx → src/routes/contacts/contacts-route.tsx (contacts → routes)',
  'src/routes/home-route.tsx → src/app/shell/lazy-routes.ts (routes → app)',
  'src/routes/home-route.tsx → src/app/shell/shell-context.ts (routes → app)',
  'src/auth/provider/user-manager.ts → src/session/authorized-fetch.ts (auth → session)',
];
const KNOWN_CYCLES = [
  ['auth/provider', 'session'],
  ['app/auth-layer', 'app/route-error', 'app/shell', 'contacts', 'routes', 'routes/contacts'],
];

describe('import direction', () => {
  it('every import goes down the layers or stays in its folder', () => {
    expect(wrongWay(allImports).sort()).toEqual([...KNOWN_WRONG_WAY].sort());
  });

  it('no two folders import each other', () => {
    expect(folderCycles(allImports)).toEqual(KNOWN_CYCLES);
  });

  it('production code never imports tests or test support', () => {
    const intoTests = allImports.filter(
      ({ from, to }) =>
        !isTest(from) &&
        !from.startsWith('src/test/') &&
        (isTest(to) || to.startsWith('src/test/')),
    );
    expect(intoTests).toEqual([]);
  });

  it('servers/shared imports nothing but itself, and no Node built-in (the SPA bundles it)', () => {
    const shared = files.filter((file) => file.startsWith('servers/shared/'));
    const outside = shared.flatMap((file) => {
      const source = readFileSync(path.join(root, file), 'utf8');
      const { module } = parseSync(file, source);
      return module.staticImports
        .map((i) => i.moduleRequest.value)
        .filter((spec) => !spec.startsWith('./'))
        .map((spec) => `${file} → ${spec}`);
    });
    expect(outside).toEqual([]);
  });
});

describe('the checks themselves (a wrong-way import is seen)', () => {
  const arrow = (from: string, to: string, typeOnly = false): Import => ({ from, to, typeOnly });

  it.each([
    ['src/auth/provider/user-manager.ts', 'src/session/session-keeper.ts'],
    ['src/contacts/contacts-api.ts', 'src/session/authorized-fetch.ts'],
    ['src/lib/clock.ts', 'src/config/app-config.ts'],
    ['src/ui/list-skeleton.tsx', 'src/config/app-config.ts'],
    ['src/routes/home-route.tsx', 'src/app/shell/shell-context.ts'],
    ['src/session/session-keeper.ts', 'src/session/react/use-session.ts'],
    ['servers/contacts-api/fold.ts', 'src/lib/fold-text.ts'],
    ['src/app/start.ts', 'src/test/setup.ts'],
  ])('refuses %s → %s', (from, to) => {
    expect(wrongWay([arrow(from, to)])).toHaveLength(1);
  });

  it.each([
    ['src/main.tsx', 'src/app/start.ts'],
    ['src/app/shell/router.tsx', 'src/routes/home-route.tsx'],
    ['src/routes/account-route.tsx', 'src/session/require-user.ts'],
    ['src/session/react/use-session.ts', 'src/session/session-keeper.ts'],
    ['src/session/session-keeper.ts', 'src/auth/credential/credential.ts'],
    ['src/contacts/contact-cache.ts', 'servers/shared/fold-text.ts'],
    ['servers/contacts-api/fold.ts', 'servers/shared/fold-text.ts'],
    ['src/contacts/first-contacts-page.test.ts', 'src/test/contact-fixture.ts'],
  ])('allows %s → %s', (from, to) => {
    expect(wrongWay([arrow(from, to)])).toEqual([]);
  });

  it('finds a cycle between folders, type-only imports included', () => {
    const cycles = folderCycles([
      arrow('src/auth/sign-in/a.ts', 'src/auth/provider/b.ts'),
      arrow('src/auth/provider/b.ts', 'src/auth/dpop/c.ts'),
      arrow('src/auth/dpop/c.ts', 'src/auth/sign-in/d.ts', true),
      arrow('src/auth/sign-in/d.ts', 'src/lib/e.ts'),
    ]);
    expect(cycles).toEqual([['auth/dpop', 'auth/provider', 'auth/sign-in']]);
  });

  it('reads static, type-only, re-exported and dynamic imports', () => {
    const source = [
      "import type { A } from './a.ts';",
      "import { b, type B } from '../b.ts';",
      "export { c } from './c.ts';",
      "import 'react';",
      "const d = () => import('./d.ts');",
    ].join('\n');
    expect(importsOf('src/x/y.ts', source)).toEqual([
      { from: 'src/x/y.ts', to: 'src/x/a.ts', typeOnly: true },
      { from: 'src/x/y.ts', to: 'src/b.ts', typeOnly: false },
      { from: 'src/x/y.ts', to: 'src/x/c.ts', typeOnly: false },
      { from: 'src/x/y.ts', to: 'src/x/d.ts', typeOnly: false },
    ]);
  });
});
