import { createServer } from 'node:net';

/**
 * A TCP port on `host` (default localhost) that nothing listens on right now (for tests and
 * benchmarks). Ask on the address the server will bind: a port free on ::1 may be taken on
 * 127.0.0.1.
 */
export async function freePort(host = 'localhost'): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
