// `SPLIT_CPUS=1`: the browser on CPU 0; this process and every server on CPU 1 (Linux,
// taskset). On a 2-core machine the browser and the local IdP and API otherwise compete for
// the same cores, and a page that keeps the CPU busy slows the servers' answers too; split,
// the servers answer as if on other machines and the time in the page is the client's own.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

function childrenOf(pid: number): number[] {
  try {
    const tasks = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8');
    return tasks.split(' ').filter(Boolean).map(Number);
  } catch {
    return []; // exited meanwhile
  }
}

const isBrowser = (pid: number) => {
  try {
    return /chrom/i.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return false;
  }
};

/** Pins `pid` and everything it has started (all threads) to `cpu`; later children inherit. */
function pinTree(pid: number, cpu: number): void {
  execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
  for (const child of childrenOf(pid)) pinTree(child, cpu);
}

/** Call once the browser is launched and the servers are started. */
export function splitCpus(): void {
  for (const child of childrenOf(process.pid)) pinTree(child, isBrowser(child) ? 0 : 1);
  execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
}
