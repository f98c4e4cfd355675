// Serves the reference app the way a plain static host does: files revalidated with ETags
// (no immutable caching), every unknown path answered with index.html.
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';

export async function serveReferenceApp(root: string, port: number): Promise<() => Promise<void>> {
  const app = Fastify();
  await app.register(fastifyStatic, { root: path.resolve(root) });
  app.setNotFoundHandler((_request, reply) => reply.sendFile('index.html'));
  await app.listen({ host: '127.0.0.1', port });
  return () => app.close();
}
