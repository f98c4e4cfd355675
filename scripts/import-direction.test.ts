// Holds the layering of src/ (import-direction.ts says what it is) over every import.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseSync } from 'vite';
import { describe, expect, it } from 'vitest';
import {
  filesUnder,
  folderCycles,
  type Import,
  importsOf,
  isTest,
  root,
  wrongWay,
} from './import-direction.ts';

const files = [...filesUnder('src'), ...filesUnder('servers')];
const allImports = files.flatMap((file) =>
  importsOf(file, readFileSync(path.join(root, file), 'utf8')),
);

describe('import direction', () => {
  it('every import goes down the layers or stays in its folder', () => {
    expect(wrongWay(allImports)).toEqual([]);
  });

  it('no two folders import each other', () => {
    expect(folderCycles(allImports)).toEqual([]);
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

  it('what src/ takes from servers/shared imports nothing else, not even Node (it is bundled)', () => {
    const bundled = new Set(
      allImports
        .filter(({ from, to }) => from.startsWith('src/') && to.startsWith('servers/shared/'))
        .map(({ to }) => to),
    );
    expect(bundled.size).toBeGreaterThan(0); // the SPA does take something from there
    const outside = [...bundled].flatMap((file) => {
      const source = readFileSync(path.join(root, file), 'utf8');
      const { module } = parseSync(file, source);
      return [...module.staticImports.map((i) => i.moduleRequest.value)]
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
    ['src/contacts/contacts-toolbar.tsx', 'src/session/react/use-draft.ts'],
    ['src/routes/callback-route.tsx', 'src/app/shell/lazy-routes.ts'],
    ['servers/contacts-api/fold.ts', 'src/lib/fold-text.ts'],
    ['src/app/start-app.ts', 'src/test/setup.ts'],
  ])('refuses %s → %s', (from, to) => {
    expect(wrongWay([arrow(from, to)])).toHaveLength(1);
  });

  it.each([
    ['src/main.tsx', 'src/app/start-app.ts'],
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
