// The production bundle's sizes, from Vite's manifest: what the signed-out home page needs
// (the entry chunk, the app's code it imports at once, and their static imports), what
// index.html also modulepreloads without waiting for it (the auth and session layer), and
// each lazy part. gzip -9; KB = 1000 bytes, KiB = 1024 bytes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Manifest } from 'vite';

const BUDGET_BYTES = 120_000; // issue 6: "at or below 120 KB gzip"

export function bundleSizes(outDir: string): void {
  const manifest = JSON.parse(
    readFileSync(path.join(outDir, '.vite', 'manifest.json'), 'utf8'),
  ) as Manifest;
  const gz = (file: string) => gzipSync(readFileSync(path.join(outDir, file)), { level: 9 }).length;
  const closure = (key: string, seen = new Set<string>()): Set<string> => {
    const chunk = manifest[key];
    if (!chunk || seen.has(key)) return seen;
    seen.add(key);
    for (const imported of chunk.imports ?? []) closure(imported, seen);
    return seen;
  };
  const jsOf = (keys: Iterable<string>) =>
    [...keys].map((key) => manifest[key]?.file ?? '').filter((file) => file.endsWith('.js'));
  const size = (files: Iterable<string>) => [...files].reduce((sum, file) => sum + gz(file), 0);
  const both = (bytes: number) =>
    `${(bytes / 1000).toFixed(1)} KB (${(bytes / 1024).toFixed(1)} KiB)`;

  // The entry and the app's code (start-app.ts imports the shell at once off a callback). The
  // app's chunk is a group of its own (vite.config.ts): found by its name.
  const appKey =
    Object.keys(manifest).find((key) => manifest[key]?.name === 'app-start') ??
    'src/app/shell/render-shell.tsx';
  const homeFiles = new Set(jsOf(new Set([...closure('index.html'), ...closure(appKey)])));
  const home = size(homeFiles);
  console.log('\nBundle (gzip -9; KB = 1000 B, KiB = 1024 B):');
  console.log(
    `  JS needed for the signed-out home page (gzip): ${both(home)} in ${homeFiles.size} chunk(s); budget 120 KB: ${home <= BUDGET_BYTES ? 'met' : 'NOT met'}`,
  );
  const html = readFileSync(path.join(outDir, 'index.html'), 'utf8');
  const preloaded = [...html.matchAll(/<link rel="modulepreload"[^>]*href="\/([^"]+)"/g)]
    .map((match) => match[1] ?? '')
    .filter((file) => !homeFiles.has(file));
  console.log(
    `  also modulepreloaded, not awaited (auth core and session layer): ${both(size(preloaded))} in ${preloaded.length} chunk(s)`,
  );
  const seen = new Set([...homeFiles, ...preloaded]);
  const lazy = new Set(Object.values(manifest).flatMap((chunk) => chunk.dynamicImports ?? []));
  for (const key of [...lazy].sort()) {
    const own = jsOf(closure(key)).filter((file) => !seen.has(file));
    if (own.length === 0) continue; // part of the modulepreloaded layer
    console.log(
      `  lazy ${key.replace(/^(src|node_modules)\//, '').padEnd(40)} ${both(size(own))} beyond the above`,
    );
  }
}

// Run alone: `npx tsx bench/bundle-sizes.ts DIR` on a build made with `--manifest`.
if (process.argv[1]?.endsWith('bundle-sizes.ts')) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: tsx bench/bundle-sizes.ts OUT_DIR (built with --manifest)');
  bundleSizes(dir);
}
