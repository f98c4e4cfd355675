// The runtime config the SPA server serves, and what depends on it: re-read from its file
// (SPA_CONFIG_PATH) whenever the file has changed, checked as at start, and the providers'
// endpoints discovered again when its issuers changed (the CSP's connect-src and frame-src
// follow both). A change that fails the checks is refused, said once, and the last good
// config stays. SPA_CONFIG (the JSON itself) and the build's own file never change.
import { readFileSync, statSync } from 'node:fs';
import { configuredOrigins } from './content-security-policy.ts';
import type { EndpointOrigins } from './endpoint-origins.ts';

export interface LiveConfig {
  /** The config text to serve now (the file is looked at: a cheap stat, read only if changed). */
  text(): string;
  /** Origins of the current issuers' endpoints found so far. */
  endpointOrigins(): string[];
  stop(): void;
}

export interface LiveConfigOptions {
  /** The config as read at start (already checked). */
  initialText: string;
  /** SPA_CONFIG_PATH: re-read when it changes; absent: the text never changes. */
  file?: string | undefined;
  /** What start-up checks (production rules); throws with the reason. */
  check?: (text: string) => void;
  /** Starts discovery for these issuers (endpoint-origins.ts). */
  discover: (issuers: string[]) => EndpointOrigins;
  /** Where a refused or unreadable change is reported. */
  warn?: (message: string) => void;
}

export function liveConfig(options: LiveConfigOptions): LiveConfig {
  const { file, check = () => {}, discover, warn = console.warn } = options;
  let text = options.initialText;
  let issuersKey = issuersOf(text).join(' ');
  let endpoints = discover(issuersOf(text));
  let seen = file ? stamp(file) : '';
  let lastProblem = '';

  const refresh = () => {
    if (!file) return;
    const now = stamp(file);
    if (now === seen) return;
    seen = now;
    let next: string;
    try {
      next = readFileSync(file, 'utf8');
      check(next);
    } catch (error) {
      const problem = `SPA server: the changed ${file} is not served (${(error as Error).message}); the previous config stays`;
      if (problem !== lastProblem) warn(problem);
      lastProblem = problem;
      return;
    }
    lastProblem = '';
    text = next;
    const issuers = issuersOf(text);
    if (issuers.join(' ') !== issuersKey) {
      issuersKey = issuers.join(' ');
      endpoints.stop();
      endpoints = discover(issuers);
    }
  };

  return {
    text() {
      refresh();
      return text;
    },
    endpointOrigins() {
      refresh();
      return endpoints.current();
    },
    stop: () => endpoints.stop(),
  };
}

/** Changes when the file is rewritten or replaced (an editor's rename, a ConfigMap's symlink). */
function stamp(file: string): string {
  try {
    const stat = statSync(file);
    return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

function issuersOf(text: string): string[] {
  try {
    return configuredOrigins(JSON.parse(text)).issuers;
  } catch {
    return []; // a bad config shows in the SPA
  }
}
