// What the e2e environments promise about their prerequisites: the Glewlwyd ones pin the
// version the suite was written against, and the global setup refuses any other version.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkGlewlwydVersion } from '../e2e/glewlwyd/glewlwyd-process.ts';
import { environments } from './e2e-environments.ts';

describe('the glewlwyd environments', () => {
  it('install and check Glewlwyd 2.7.x, nothing looser', () => {
    const glewlwyd = environments.filter((env) => env.name.startsWith('glewlwyd'));
    expect(glewlwyd.map((env) => env.name)).toEqual(['glewlwyd-dpop', 'glewlwyd-bearer']);
    for (const env of glewlwyd) expect(env.prerequisites).toEqual(['glewlwyd=2.7.*']);
  });
});

describe('checkGlewlwydVersion', () => {
  const path0 = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path0;
  });

  /** A `glewlwyd` first on the PATH that says it is `version`. */
  function fakeGlewlwyd(version: string): void {
    const dir = mkdtempSync(path.join(tmpdir(), 'fake-glewlwyd-'));
    const bin = path.join(dir, 'glewlwyd');
    writeFileSync(bin, `#!/bin/sh\necho ${version}\n`);
    chmodSync(bin, 0o755);
    process.env.PATH = `${dir}:${path0}`;
  }

  it('accepts a 2.7 release', () => {
    fakeGlewlwyd('2.7.5');
    expect(checkGlewlwydVersion()).toBe('2.7.5');
  });

  it.each(['2.8.0', '2.6.9', '3.7.0', '2.70.1', '12.7.5'])(
    'refuses %s with one line naming both versions',
    (version) => {
      fakeGlewlwyd(version);
      expect(() => checkGlewlwydVersion()).toThrow(
        `missing prerequisite: glewlwyd=2.7.* (installed: ${version})`,
      );
    },
  );

  it('names the install command when it is missing', () => {
    process.env.PATH = '/nonexistent';
    expect(() => checkGlewlwydVersion()).toThrow(
      'missing prerequisite: glewlwyd (install it: scripts/install-debian-packages.sh "glewlwyd=2.7.*")',
    );
  });
});
