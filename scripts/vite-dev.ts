// `npm run dev`'s app server (scripts/start.ts starts it beside the test IdP and the API):
// Vite's dev server with HMR, on vite.config.ts plus two things of its own, so that file
// keeps only what the build needs:
// - /config.json is the runtime config start.ts generated (it follows IDP_PORT, API_PORT…);
// - the SPA server's headers and CSP, as far as Vite allows: its inline React Refresh
//   preamble and injected styles carry a per-start nonce, its HMR socket is allowed, and
//   Trusted Types only report (Vite's error overlay writes HTML).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Plugin } from 'vite';
import { readLocalEnv } from '../servers/local-env.ts';
import { contentSecurityPolicy, TRUSTED_TYPES } from '../servers/spa/content-security-policy.ts';

const env = readLocalEnv();
const configPath = process.env.SPA_CONFIG_PATH;
if (!configPath) throw new Error('SPA_CONFIG_PATH is required (npm run dev sets it)');
const configText = readFileSync(configPath, 'utf8');
const nonce = randomBytes(16).toString('base64');
const hmrSocket = env.spaOrigin.replace(/^http/, 'ws');

const policy = contentSecurityPolicy(JSON.parse(configText))
  .replace("script-src 'self'", `script-src 'self' 'nonce-${nonce}'`)
  .replace("style-src 'self'", `style-src 'self' 'nonce-${nonce}'`)
  .replace("connect-src 'self'", `connect-src 'self' ${hmrSocket}`)
  .replace(/; report-uri \S+/, ''); // no report endpoint here: the console shows violations

function devServerHeaders(): Plugin {
  return {
    name: 'contacts-dev-server-headers',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        res.setHeader('Content-Security-Policy', policy);
        res.setHeader('Content-Security-Policy-Report-Only', TRUSTED_TYPES);
        res.setHeader('Referrer-Policy', 'no-referrer');
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
        if (req.url?.split('?')[0] === '/config.json') {
          res.setHeader('Content-Type', 'application/json; charset=utf-8');
          res.setHeader('Cache-Control', 'no-store');
          res.end(configText);
          return;
        }
        next();
      });
    },
  };
}

const server = await createServer({
  configFile: 'vite.config.ts',
  plugins: [devServerHeaders()],
  html: { cspNonce: nonce },
  server: { host: env.spaHost, port: env.spaPort, strictPort: true },
});
await server.listen();
console.log(`SPA (Vite dev server, HMR)  ${env.spaOrigin}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
