// The bundle's two big chunks stay apart (vite.config.ts, chunkGroups): a callback evaluates
// the auth core before React, and the home page paints before the auth core has loaded.
// A module put in the wrong group would quietly undo either; this build says so.

import { build, type Rolldown } from 'vite';
import { beforeAll, describe, expect, it } from 'vitest';

type Chunk = Rolldown.OutputChunk;
let chunks: Chunk[] = [];

const chunkWith = (suffix: string): Chunk => {
  const chunk = chunks.find((c) => c.moduleIds.some((id) => id.endsWith(suffix)));
  if (!chunk) throw new Error(`no chunk holds ${suffix}`);
  return chunk;
};

/** The chunk and every chunk it imports statically, transitively. */
function staticClosure(start: Chunk): Chunk[] {
  const seen = new Set<Chunk>();
  const visit = (chunk: Chunk) => {
    if (seen.has(chunk)) return;
    seen.add(chunk);
    for (const file of chunk.imports) {
      const imported = chunks.find((c) => c.fileName === file);
      if (imported) visit(imported);
    }
  };
  visit(start);
  return [...seen];
}

const modulesOf = (closure: Chunk[]) => closure.flatMap((chunk) => chunk.moduleIds);

beforeAll(async () => {
  const result = await build({ logLevel: 'silent', build: { write: false } });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  chunks = outputs
    .flatMap((output) => output.output)
    .filter((item): item is Chunk => item.type === 'chunk');
}, 60_000);

describe('chunk layering', () => {
  it('the auth core loads no React', () => {
    const modules = modulesOf(staticClosure(chunkWith('/src/app/services/start-services.ts')));
    expect(modules.some((id) => id.endsWith('/src/auth/provider/validating-user-manager.ts'))).toBe(
      true,
    );
    expect(
      modules.filter((id) => /\/node_modules\/(react|react-dom|react-router)\//.test(id)),
    ).toEqual([]);
  });

  it("the app's code loads no auth core (the home page paints without it)", () => {
    const closure = staticClosure(chunkWith('/src/app/shell/render-shell.tsx'));
    expect(closure).not.toContain(chunkWith('/src/app/services/start-services.ts'));
    expect(modulesOf(closure).filter((id) => /\/node_modules\/oidc-client-ts\//.test(id))).toEqual(
      [],
    );
  });

  it('the error screen loads without the auth core (it explains a failed download of it)', () => {
    const closure = staticClosure(chunkWith('/src/app/route-error/route-error.tsx'));
    expect(closure).not.toContain(chunkWith('/src/app/services/start-services.ts'));
  });

  it('a callback page loads few chunks: the groups took in the small shared ones', () => {
    const callbackPath = new Set([
      ...staticClosure(chunkWith('/src/main.tsx')),
      ...staticClosure(chunkWith('/src/app/services/start-services.ts')),
      ...staticClosure(chunkWith('/src/auth/id-token/id-token-validator.ts')),
      ...staticClosure(chunkWith('/src/app/shell/render-shell.tsx')),
      ...staticClosure(chunkWith('/src/app/auth-layer/auth-layer.tsx')),
      ...staticClosure(chunkWith('/src/routes/contacts/contacts-screens.ts')),
      ...staticClosure(chunkWith('/src/routes/callback-route.tsx')),
    ]);
    expect(callbackPath.size).toBeLessThanOrEqual(13);
  });
});
