import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { withAccessLog } from './access-log.ts';

it('logs one JSON line per request, with the path and never the query', async () => {
  const lines: string[] = [];
  const server = createServer(
    withAccessLog((_req, res) => res.writeHead(303, { location: '/x' }).end(), {
      write: (line) => lines.push(line),
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await fetch(`http://127.0.0.1:${port}/auth?code_challenge=abc&state=secret-state`, {
    redirect: 'manual',
    headers: { 'x-request-id': 'proxy-request-0001' },
  });
  server.close();
  expect(lines.map((line) => JSON.parse(line))).toEqual([
    expect.objectContaining({
      msg: 'request',
      method: 'GET',
      path: '/auth',
      status: 303,
      requestId: 'proxy-request-0001',
    }),
  ]);
  expect(lines.join('')).not.toContain('secret');
});
