// Test-only: a TCP proxy in front of a server (the machine's PostgreSQL) that a test can cut,
// stall and restore, to make an outage without stopping or touching the server itself.
import { createConnection, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Closes every proxied connection and refuses new ones (ECONNREFUSED). */
  cut(): Promise<void>;
  /** Accepts again on the same port. */
  restore(): Promise<void>;
  /**
   * Keeps every connection open, and accepts new ones, but forwards nothing either way: a
   * server that stopped answering (a network partition, a frozen host), not one that refuses.
   */
  stall(): void;
  /** Forwards again, starting with what was held back while stalled. */
  resume(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let stalled = false;
  const held: [Socket, Buffer][] = [];
  const server = createServer((client) => {
    const upstream = createConnection(target);
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(from);
      from.on('data', (chunk: Buffer) => {
        if (stalled) held.push([to, chunk]);
        else to.write(chunk);
      });
      from.on('error', () => to.destroy());
      from.on('close', () => {
        sockets.delete(from);
        to.destroy();
      });
    }
  });
  const listen = (port: number) =>
    new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  await listen(0);
  const { port } = server.address() as { port: number };
  const cut = async () => {
    const closed = new Promise((resolve) => server.close(resolve));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  return {
    port,
    cut,
    restore: () => listen(port),
    stall: () => {
      stalled = true;
    },
    resume: () => {
      stalled = false;
      for (const [to, chunk] of held.splice(0)) if (!to.destroyed) to.write(chunk);
    },
    close: () => (server.listening ? cut() : Promise.resolve()),
  };
}
