// The prerequisites script's two quick outcomes: nothing to do, and a package that cannot be
// installed here, which ends the run with exit code 1 and one line naming it. (The apt-get
// path itself runs whenever a machine lacks nginx, openssl, glewlwyd or chromium.)
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const run = (packages: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync('/bin/bash', ['scripts/install-debian-packages.sh', ...packages], {
    env,
    encoding: 'utf8',
  });

describe('scripts/install-debian-packages.sh', () => {
  it('does nothing, silently, when every package is installed', () => {
    const result = run(['bash']);
    expect(result.status).toBe(0);
    expect(result.stdout + result.stderr).toBe('');
  });

  it('fails with one line naming what is missing when it cannot install', () => {
    // No apt-get (nor dpkg) on the PATH: as on a machine that is not Debian.
    const result = run(['nginx', 'openssl'], { PATH: '/nonexistent' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^missing prerequisite: nginx openssl \(/),
    ]);
  });

  it('checks a pinned version: the same is silent, another fails naming both (never up- or downgraded)', () => {
    expect(run(['bash=*']).status).toBe(0);
    const other = run(['bash=0.0.*']);
    expect(other.status).toBe(1);
    expect(other.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^missing prerequisite: bash 0\.0\.\* \(installed: \d/),
    ]);
  });

  it('asks for at least one package', () => {
    expect(run([]).status).toBe(2);
  });
});
