import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { contentSecurityPolicy } from './content-security-policy.ts';

export interface SpaServerOptions {
  /** The Vite build output. */
  distDir: string;
  /** The runtime config to serve as /config.json (defaults to the built one). */
  configPath?: string | undefined;
}

const securityHeaders = {
  'X-Content-Type-Options': 'nosniff',
  // IMPORTANT: the callback URL holds the authorization code; never send it as a Referer.
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'SAMEORIGIN',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

/** Serves the built SPA with security headers, its runtime config and history fallback. */
export async function createSpaServer(options: SpaServerOptions): Promise<FastifyInstance> {
  const configPath = options.configPath ?? path.join(options.distDir, 'config.json');
  const configText = await readFile(configPath, 'utf8');
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(configText);
  } catch {
    // Served as is: the SPA shows a readable error screen for it.
  }
  const csp = contentSecurityPolicy(parsed);
  const indexHtml = await readFile(path.join(options.distDir, 'index.html'), 'utf8');

  const app = Fastify({ logger: false });
  app.addHook('onSend', async (_request, reply) => {
    reply.headers(securityHeaders);
    reply.header('Content-Security-Policy', csp);
  });

  app.get('/config.json', async (_request, reply) =>
    reply
      .type('application/json; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .send(configText),
  );

  await app.register(fastifyStatic, {
    root: options.distDir,
    index: false,
    wildcard: true,
    cacheControl: false, // set per file below
    setHeaders: (res, filePath) => {
      const immutable = filePath.includes(`${path.sep}assets${path.sep}`);
      res.setHeader(
        'Cache-Control',
        immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });

  const sendIndex = (reply: import('fastify').FastifyReply) =>
    reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-cache').send(indexHtml);

  app.get('/', async (_request, reply) => sendIndex(reply));
  // Client-side routes get the app; missing files (anything with an extension) get a 404.
  app.setNotFoundHandler(async (request, reply) => {
    const pathname = request.url.split('?')[0] ?? '';
    if (request.method === 'GET' && !path.extname(pathname)) return sendIndex(reply);
    return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
  });
  return app;
}
