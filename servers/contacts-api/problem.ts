// RFC 9457 problem details, plus the RFC 6750 §3 challenge for auth failures. Every error
// the API answers goes through here, so no handler can leak a token or echo the URL
// (which may carry `?access_token=`) into a response.

const REALM = 'contacts';

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  429: 'Too Many Requests',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The OAuth error code in the challenge (RFC 6750 §3.1, RFC 9449 §7.1); absent when no credentials came. */
export type BearerError =
  | 'invalid_request'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'invalid_dpop_proof'
  | 'use_dpop_nonce';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** Extension member mirroring the challenge's `error`, for clients that read bodies. */
  error?: BearerError;
  /** Extension member: which fields of the request were wrong, and how. */
  errors?: { field: string; rule?: string; message: string }[];
  /** Extension member: the per-user limit the request would have exceeded. */
  quota?: QuotaLimit;
}

export interface QuotaLimit {
  /** Stable: `contacts` or `idempotencyKeys`. */
  name: string;
  limit: number;
}

export interface ProblemOptions {
  headers?: Record<string, string>;
  error?: BearerError;
  errors?: { field: string; rule?: string; message: string }[];
  quota?: QuotaLimit;
  cause?: unknown;
}

export class Problem extends Error {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly error: BearerError | undefined;
  readonly errors: { field: string; rule?: string; message: string }[] | undefined;
  readonly quota: QuotaLimit | undefined;

  constructor(status: number, detail: string, options: ProblemOptions = {}) {
    super(detail, { cause: options.cause });
    this.name = 'Problem';
    this.status = status;
    this.headers = options.headers ?? {};
    this.error = options.error;
    this.errors = options.errors;
    this.quota = options.quota;
  }

  toBody(): ProblemBody {
    // about:blank: the status says it all; the OAuth code rides in `error` and the challenge.
    const body: ProblemBody = {
      type: 'about:blank',
      title: titles[this.status] ?? 'Error',
      status: this.status,
      detail: this.message,
    };
    if (this.error) body.error = this.error;
    if (this.errors) body.errors = this.errors;
    if (this.quota) body.quota = this.quota;
    return body;
  }
}

function challenge(params: Record<string, string> = {}): Record<string, string> {
  // Values are our own constants: none contains `"` or `\`, so no escaping is needed.
  const attributes = Object.entries({ realm: REALM, ...params }).map(([k, v]) => `${k}="${v}"`);
  return { 'WWW-Authenticate': `Bearer ${attributes.join(', ')}` };
}

/** No credentials, or an unsupported way of sending them: no error code (RFC 6750 §3.1). */
export function missingToken(detail: string): Problem {
  return new Problem(401, detail, { headers: challenge() });
}

export function invalidRequest(detail: string): Problem {
  return new Problem(400, detail, {
    headers: challenge({ error: 'invalid_request' }),
    error: 'invalid_request',
  });
}

/** One generic description for every validation failure: no oracle for attackers. */
export function invalidToken(): Problem {
  const description = 'The access token is invalid or expired';
  return new Problem(401, `${description}.`, {
    headers: challenge({ error: 'invalid_token', error_description: description }),
    error: 'invalid_token',
  });
}

export function insufficientScope(scope: string): Problem {
  return new Problem(403, `The access token lacks the ${scope} scope.`, {
    headers: challenge({ error: 'insufficient_scope', scope }),
    error: 'insufficient_scope',
  });
}

/** Missing and someone else's look the same: no existence oracle (ASVS 8.2.2). */
export function notFound(): Problem {
  return new Problem(404, 'There is no such contact.');
}

/**
 * A per-user quota is full. 409 Conflict, not 403 (which here means "the token lacks a
 * scope": a client would ask for consent again) nor 413 (about one request's size) nor 429
 * (waiting does not help): the request conflicts with the state of the user's data, and the
 * user can resolve it (delete contacts; keys expire after a day), then retry.
 */
export function quotaExceeded(name: 'contacts' | 'idempotencyKeys', limit: number): Problem {
  const count = limit.toLocaleString('en-US');
  const detail =
    name === 'contacts'
      ? `You have reached the limit of ${count} contacts. Delete some to add more.`
      : `You have reached the limit of ${count} Idempotency-Key values in a day. Keys are kept for a day; try again later.`;
  return new Problem(409, detail, { quota: { name, limit } });
}
