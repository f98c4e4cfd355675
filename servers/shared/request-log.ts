// Request logs as JSON lines through Fastify's own logger (pino): one line per response with
// method, route (the pattern, never the URL: a query may hold a code or a token), status,
// duration and the request id, plus what the server adds (the API: issuer and subject).
// IMPORTANT: no headers, bodies or URLs are logged; `redact` and the token masking
// (redact-tokens.ts) are the second line, for anything that slips into a message.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';
import { redactRecord, redactTokens } from './redact-tokens.ts';

/** Where the lines go: stdout in the servers, a collecting stream in tests. */
export interface LogDestination {
  write(line: string): void;
}

/** An upstream proxy's request id (nginx's $request_id) is kept when it looks like one. */
export function requestId(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && /^[A-Za-z0-9_-]{8,64}$/.test(incoming)
    ? incoming
    : randomUUID();
}

/** Fastify options that turn its logger on for JSON request lines (logRequests below). */
export function requestLogOptions(
  destination: LogDestination,
): Pick<
  FastifyServerOptions,
  'logger' | 'disableRequestLogging' | 'genReqId' | 'requestIdLogLabel' | 'requestIdHeader'
> {
  return {
    logger: {
      level: 'info',
      stream: destination,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.dpop',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          'headers.authorization',
          'headers.dpop',
          'headers.cookie',
        ],
        censor: '[redacted]',
      },
      // Fastify's default serializers would log the URL with its query: none of that.
      serializers: {
        req: (request: { method?: string }) => ({ method: request.method }),
        res: (reply: { statusCode?: number }) => ({ status: reply.statusCode }),
        // No stack: it can quote values; the message is masked.
        err: (error: Error) => ({
          type: error.name,
          message: redactTokens(error.message),
          stack: '',
        }),
      },
      formatters: { log: (record: Record<string, unknown>) => redactRecord(record) },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((arg) => (typeof arg === 'string' ? redactTokens(arg) : arg));
          method.apply(this, masked as Parameters<typeof method>);
        },
      },
    },
    // Fastify's own "incoming request" / "request completed" lines carry the URL.
    disableRequestLogging: true,
    requestIdHeader: false,
    genReqId: requestId,
    requestIdLogLabel: 'requestId',
  };
}

/** One line per response; `extra` adds fields known by then (the API: issuer, subject). */
export function logRequests(
  app: FastifyInstance,
  extra: (request: FastifyRequest) => Record<string, unknown> = () => ({}),
): void {
  app.addHook('onResponse', (request, reply, done) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? null,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
        ...extra(request),
      },
      'request',
    );
    done();
  });
}
