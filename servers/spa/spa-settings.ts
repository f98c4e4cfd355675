// The SPA server's settings, read once from the environment (on top of ../local-env.ts):
// where the build is, which runtime config to serve, and the test-only switches, which
// production mode (NODE_ENV=production) refuses by name.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type LocalEnv, readLocalEnv } from '../local-env.ts';
import { isLoopbackHost } from '../shared/public-urls.ts';
import { readTrustedProxies } from '../shared/trusted-proxies.ts';
import { configuredOrigins, type TrustedTypesMode } from './content-security-policy.ts';

export interface SpaSettings {
  local: LocalEnv;
  /** SPA_DIST_DIR: the Vite build (default dist/). */
  distDir: string;
  /**
   * The runtime config served as /config.json: SPA_CONFIG (the JSON itself) or the file
   * SPA_CONFIG_PATH names; undefined = the build's own dist/config.json (the local demo's).
   */
  configText: string | undefined;
  /** SPA_CONFIG_PATH: the file configText came from, re-read when it changes (live-config.ts). */
  configPath: string | undefined;
  /** SPA_TRUSTED_TYPES: 'enforce' (default) or 'report-only' (e2e only). */
  trustedTypes: TrustedTypesMode;
  /** SPA_EXPOSE_CSP_REPORTS=1 (e2e only): GET /csp-reports lists the last violations. */
  exposeCspReports: boolean;
  /** SPA_CSP_REPORTS_PER_MINUTE: CSP reports accepted per client address (default 60). */
  cspReportsPerMinute: number;
  /** SPA_TRUSTED_PROXIES (comma-separated addresses or CIDR ranges); default none. */
  trustedProxies: string[];
}

const IN_PRODUCTION = 'in production (NODE_ENV=production)';

export function readSpaSettings(env: NodeJS.ProcessEnv = process.env): SpaSettings {
  const local = readLocalEnv(env);
  const trustedTypes = env.SPA_TRUSTED_TYPES || 'enforce';
  if (trustedTypes !== 'enforce' && trustedTypes !== 'report-only') {
    throw new Error(`SPA_TRUSTED_TYPES must be enforce or report-only, got "${trustedTypes}"`);
  }
  const expose = env.SPA_EXPOSE_CSP_REPORTS ?? '';
  if (!['', '0', '1'].includes(expose)) {
    throw new Error(`SPA_EXPOSE_CSP_REPORTS must be 1 (on) or 0 (off), got "${expose}"`);
  }
  if (env.SPA_CONFIG && env.SPA_CONFIG_PATH) {
    throw new Error('set SPA_CONFIG (the JSON) or SPA_CONFIG_PATH (a file), not both');
  }
  let configText: string | undefined = env.SPA_CONFIG || undefined;
  if (env.SPA_CONFIG_PATH) {
    try {
      configText = readFileSync(env.SPA_CONFIG_PATH, 'utf8');
    } catch (err) {
      throw new Error(`SPA_CONFIG_PATH cannot be read: ${(err as Error).message}`);
    }
  }
  const settings: SpaSettings = {
    local,
    distDir: path.resolve(env.SPA_DIST_DIR || 'dist'),
    configText,
    configPath: env.SPA_CONFIG_PATH || undefined,
    trustedTypes,
    exposeCspReports: expose === '1',
    cspReportsPerMinute: reportsPerMinute(env.SPA_CSP_REPORTS_PER_MINUTE),
    trustedProxies: readTrustedProxies(env, 'SPA_TRUSTED_PROXIES'),
  };
  if (local.production) refuseInProduction(settings, env);
  return settings;
}

function refuseInProduction(settings: SpaSettings, env: NodeJS.ProcessEnv): void {
  if (settings.trustedTypes === 'report-only') {
    throw new Error(
      `SPA_TRUSTED_TYPES=report-only is for the e2e suite only: refused ${IN_PRODUCTION}`,
    );
  }
  if (settings.exposeCspReports) {
    throw new Error(`SPA_EXPOSE_CSP_REPORTS=1 is for the e2e suite only: refused ${IN_PRODUCTION}`);
  }
  if (settings.configText === undefined) {
    throw new Error(
      `SPA_CONFIG or SPA_CONFIG_PATH must give the runtime config ${IN_PRODUCTION}; the build's own config.json is the local demo's`,
    );
  }
  checkProductionConfig(settings.configText, env.SPA_CONFIG ? 'SPA_CONFIG' : 'SPA_CONFIG_PATH');
}

/**
 * In production, the runtime config must be JSON whose issuers and API are https (loopback
 * aside): checked at start, and again on each change of SPA_CONFIG_PATH's file.
 */
export function checkProductionConfig(configText: string, name: string): void {
  let config: unknown;
  try {
    config = JSON.parse(configText);
  } catch {
    throw new Error(`${name} must hold the runtime config as JSON ${IN_PRODUCTION}`);
  }
  const { issuers } = configuredOrigins(config);
  const api = (config as { api?: { baseUrl?: unknown } }).api?.baseUrl;
  for (const [what, value] of [
    ...issuers.map((issuer) => ['providers[].issuer', issuer] as const),
    ['api.baseUrl', api] as const,
  ]) {
    const url = typeof value === 'string' && URL.canParse(value) ? new URL(value) : undefined;
    if (
      !url ||
      (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname)))
    ) {
      throw new Error(
        `${name}: ${what} must be an https URL ${IN_PRODUCTION}, except for localhost; got "${String(value)}"`,
      );
    }
  }
}

function reportsPerMinute(raw: string | undefined): number {
  const value = raw?.trim();
  if (!value) return 60;
  if (!/^[1-9][0-9]{0,5}$/.test(value)) {
    throw new Error(`SPA_CSP_REPORTS_PER_MINUTE must be a whole number from 1, got "${value}"`);
  }
  return Number(value);
}
