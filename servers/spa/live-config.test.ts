import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSpaServer } from './create-spa-server.ts';
import type { EndpointOrigins } from './endpoint-origins.ts';
import { type LiveConfig, liveConfig } from './live-config.ts';

const configFor = (issuer: string) =>
  JSON.stringify({
    providers: [{ id: 'a', label: 'A', issuer, clientId: 'c', scopes: ['openid'] }],
    api: { baseUrl: 'https://api.example', resource: 'https://api.example' },
  });

/** Discovery as if each issuer's token endpoint lived on a CDN host of its own. */
function fakeDiscovery() {
  const started: string[][] = [];
  const stopped: string[][] = [];
  const discover = (issuers: string[]): EndpointOrigins => {
    started.push(issuers);
    return {
      current: () => issuers.map((issuer) => `https://tokens.${new URL(issuer).host}`),
      ready: Promise.resolve(),
      stop: () => stopped.push(issuers),
    };
  };
  return { discover, started, stopped };
}

const dir = mkdtempSync(path.join(tmpdir(), 'spa-live-config-'));
let live: LiveConfig | undefined;
afterEach(() => live?.stop());

function writeConfig(file: string, text: string) {
  // As editors and ConfigMaps do: a new file renamed over the old one.
  writeFileSync(`${file}.new`, text);
  renameSync(`${file}.new`, file);
}

describe('the runtime config file (SPA_CONFIG_PATH)', () => {
  it('is served afresh once changed, with the CSP and the discovered endpoints of the new issuer', async () => {
    const file = path.join(dir, 'changed.json');
    writeConfig(file, configFor('https://old-idp.example'));
    const discovery = fakeDiscovery();
    live = liveConfig({
      initialText: configFor('https://old-idp.example'),
      file,
      discover: discovery.discover,
    });
    const dist = path.join(dir, 'dist');
    mkdirSync(dist, { recursive: true });
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
    const app = await createSpaServer({
      distDir: dist,
      readConfig: live.text,
      endpointOrigins: live.endpointOrigins,
    });
    const csp = async () =>
      String((await app.inject({ url: '/' })).headers['content-security-policy']);
    try {
      expect((await app.inject({ url: '/config.json' })).body).toContain('old-idp.example');
      expect(await csp()).toContain('https://old-idp.example https://tokens.old-idp.example');

      writeConfig(file, configFor('https://new-idp.example'));
      expect((await app.inject({ url: '/config.json' })).body).toContain('new-idp.example');
      const policy = await csp();
      expect(policy).toContain(
        "connect-src 'self' https://new-idp.example https://tokens.new-idp.example https://api.example;",
      );
      expect(policy).toContain(
        "frame-src 'self' https://new-idp.example https://tokens.new-idp.example;",
      );
      expect(policy).not.toContain('old-idp.example');
      expect(discovery.started).toEqual([['https://old-idp.example'], ['https://new-idp.example']]);
      expect(discovery.stopped).toEqual([['https://old-idp.example']]);
    } finally {
      await app.close();
    }
  });

  it('is not read again while unchanged, nor discovered again for the same issuers', () => {
    const file = path.join(dir, 'same-issuers.json');
    writeConfig(file, configFor('https://idp.example'));
    const discovery = fakeDiscovery();
    live = liveConfig({
      initialText: configFor('https://idp.example'),
      file,
      discover: discovery.discover,
    });
    live.text();
    writeConfig(file, configFor('https://idp.example').replace('"A"', '"Renamed"'));
    expect(live.text()).toContain('Renamed');
    expect(discovery.started).toHaveLength(1);
  });

  it('a change that fails the start-up checks is refused, said once, and the last good config stays', () => {
    const file = path.join(dir, 'refused.json');
    writeConfig(file, configFor('https://idp.example'));
    const warn = vi.fn();
    live = liveConfig({
      initialText: configFor('https://idp.example'),
      file,
      check: (text) => {
        if (text.includes('http://')) throw new Error('issuer must be https');
      },
      discover: fakeDiscovery().discover,
      warn,
    });
    writeConfig(file, configFor('http://idp.example'));
    expect(live.text()).toContain('https://idp.example');
    expect(live.text()).toContain('https://idp.example');
    expect(warn).toHaveBeenCalledOnce();
    expect(warn.mock.calls[0]?.[0]).toMatch(
      /is not served \(issuer must be https\); the previous config stays/,
    );
    // Fixed again: served.
    writeConfig(file, configFor('https://fixed.example'));
    expect(live.text()).toContain('fixed.example');
  });

  it('SPA_CONFIG (no file) never changes', () => {
    live = liveConfig({
      initialText: configFor('https://idp.example'),
      discover: fakeDiscovery().discover,
    });
    expect(live.text()).toBe(configFor('https://idp.example'));
  });
});
