// Starts the tls environment's nginx (the docs' configuration) before the specs, and stops
// it by its pid after them.
import path from 'node:path';
import { startNginx, stopNginx, writeNginxConfig } from './nginx.ts';
import { hostnames, tlsDataDir, tlsPort, upstream } from './tls-env.ts';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const tls = path.join(tlsDataDir, 'tls');
  const run = writeNginxConfig(path.join(tlsDataDir, 'nginx'), {
    LISTEN: `127.0.0.1:${tlsPort}`,
    APP_SERVER_NAME: hostnames.app,
    API_SERVER_NAME: hostnames.api,
    IDP_SERVER_NAME: hostnames.idp,
    TLS_CERTIFICATE: path.join(tls, 'server.pem'),
    TLS_CERTIFICATE_KEY: path.join(tls, 'server.key'),
    SPA_UPSTREAM: `127.0.0.1:${upstream.spa}`,
    API_UPSTREAM: `127.0.0.1:${upstream.api}`,
    IDP_UPSTREAM: `127.0.0.1:${upstream.idp}`,
  });
  startNginx(run);
  return () => stopNginx(run);
}
