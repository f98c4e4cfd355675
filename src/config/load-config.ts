import { clockOffsetFrom } from '../lib/clock.ts';
import { type AppConfig, ConfigError, parseAppConfig } from './app-config.ts';

export interface LoadedConfig {
  config: AppConfig;
  /** The file's JSON as served, before parsing (config-snapshot.ts keeps it). */
  raw: unknown;
  /** Server time minus device time, from the response's Date header (0 if unknown). */
  clockOffsetMs: number;
}

/**
 * Fetches and validates the runtime config. Deployers change this file, not the build.
 * Errors are ConfigErrors whose text the config error screen shows as is.
 */
export async function loadConfig(fetchFn: typeof fetch = fetch): Promise<LoadedConfig> {
  let response: Response;
  const sentAt = Date.now();
  try {
    // Same request mode as the <link rel=preload> in index.html, so that response is reused.
    response = await fetchFn('/config.json', { credentials: 'same-origin' });
  } catch {
    throw new ConfigError('The app configuration could not be loaded.', [
      '/config.json: the network request failed',
    ]);
  }
  if (!response.ok) {
    throw new ConfigError('The app configuration could not be loaded.', [
      `/config.json: the server answered ${response.status}`,
    ]);
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new ConfigError('The app configuration is not valid JSON.', [
      '/config.json: not valid JSON',
    ]);
  }
  const clockOffsetMs = clockOffsetFrom(response.headers.get('Date'), sentAt, Date.now()) ?? 0;
  return { config: parseAppConfig(json), raw: json, clockOffsetMs };
}
