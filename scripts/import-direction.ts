// The layering of src/ (README "Layout"), read from the imports: a module may import only
// from its own folder and from the layers its line below allows, and no two folders may
// import each other, however indirectly. Type-only imports count too: a type that two
// layers share belongs below both. servers/ never import src/; what both need lives in
// servers/shared/, and what src/ takes from there imports nothing else (it is bundled).
// import-direction.test.ts holds it.

import { readdirSync } from 'node:fs';
import path from 'node:path';
import { parseSync } from 'vite';

/** Top to bottom: which layers each layer may import, besides its own. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  main: ['app'],
  app: ['routes', 'contacts', 'session/react', 'session', 'auth', 'config', 'ui', 'lib', 'shared'],
  routes: ['contacts', 'session/react', 'session', 'auth', 'ui', 'config', 'lib'],
  contacts: ['ui', 'lib', 'shared'],
  // The session layer's React adapters sit above it: session/ itself never needs React.
  'session/react': ['session', 'auth', 'config', 'lib', 'ui'],
  session: ['auth', 'config', 'lib'],
  auth: ['config', 'lib'],
  config: ['lib'],
  ui: [],
  lib: [],
  shared: [],
  // Test support (src/test): only tests import it.
  test: ['contacts', 'session', 'auth', 'config', 'ui', 'lib', 'shared'],
};

export const root = path.resolve(import.meta.dirname, '..');

export interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
}

export function filesUnder(dir: string): string[] {
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

/**
 * `src/auth/sign-in/x.ts` → folder `auth/sign-in`, layer `auth`; session/react is a layer of
 * its own; servers/shared → `shared`.
 */
export function placeOf(file: string): { layer: string; folder: string } | null {
  if (file.startsWith('servers/shared/')) return { layer: 'shared', folder: 'shared' };
  if (!file.startsWith('src/')) return null;
  const folder = path.dirname(file.slice('src/'.length));
  if (folder === '.') return { layer: 'main', folder: 'main' };
  if (folder === 'session/react' || folder.startsWith('session/react/')) {
    return { layer: 'session/react', folder };
  }
  return { layer: folder.split('/')[0] ?? folder, folder };
}

export const isTest = (file: string) => /\.test\.tsx?$/.test(file);

/** The arrows the layering does not allow, as `from → to` lines. */
export function wrongWay(imports: readonly Import[]): string[] {
  return imports.flatMap(({ from, to }) => {
    const source = placeOf(from);
    const target = placeOf(to);
    if (from.startsWith('servers/')) {
      return to.startsWith('src/') ? [`${from} → ${to} (servers never import src/)`] : [];
    }
    if (!source || !target) return [`${from} → ${to} (outside src/ and servers/shared/)`];
    if (source.layer === target.layer) return []; // folders of one layer: no cycles (below)
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
