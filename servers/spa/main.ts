import path from 'node:path';
import { exitOnListenError } from '../listen-errors.ts';
import { readLocalEnv } from '../local-env.ts';
import { createSpaServer } from './create-spa-server.ts';

const env = readLocalEnv();
const distDir = path.resolve(process.env.SPA_DIST_DIR || 'dist');

const app = await createSpaServer({
  distDir,
  configPath: process.env.SPA_CONFIG_PATH || undefined,
}).catch((error: NodeJS.ErrnoException) => {
  if (error.code === 'ENOENT') {
    console.error(`SPA server: ${distDir} has no build; run "npm run build" first`);
    process.exit(1);
  }
  throw error;
});
await app
  .listen({ port: env.spaPort, host: 'localhost' })
  .catch(exitOnListenError('SPA server', env.spaPort, 'SPA_PORT'));
console.log(`SPA         ${env.spaOrigin}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}
