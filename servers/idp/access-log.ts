// The IdP's request log: one JSON line per response (method, path without the query, status,
// duration, request id), like the API's and the SPA server's (shared/request-log.ts).
// IMPORTANT: the query is never logged: /auth carries state and nonce, the redirect back a
// code; form bodies and cookies are never read here at all.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { redactTokens } from '../shared/redact-tokens.ts';
import { type LogDestination, requestId } from '../shared/request-log.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export function withAccessLog(handle: Handler, destination: LogDestination): Handler {
  return (req, res) => {
    const started = performance.now();
    const id = requestId(req);
    res.once('finish', () => {
      const line = {
        level: 30,
        time: Date.now(),
        msg: 'request',
        requestId: id,
        method: req.method,
        path: redactTokens((req.url ?? '').split('?')[0] ?? ''),
        status: res.statusCode,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
      };
      destination.write(`${JSON.stringify(line)}\n`);
    });
    handle(req, res);
  };
}
