// The last line of defence for logs: whatever reaches a log line is passed through this, so
// a credential that slipped into a message (an error quoting a header, a URL with a code)
// is masked. The loggers log no headers, bodies or query strings in the first place.

const REDACTED = '[redacted]';

const PATTERNS: [RegExp, string][] = [
  // A JWS/JWT (ID and access tokens, DPoP proofs, request objects): header.payload.signature.
  [/eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g, REDACTED],
  // A credential after its scheme (Authorization, DPoP, Cookie-like "name=value" pairs below).
  [/\b(Bearer|DPoP|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  // OAuth parameters in a query or form body: codes, tokens, verifiers, assertions, secrets.
  [
    /\b(code|access_token|refresh_token|id_token|token|code_verifier|client_assertion|client_secret|logout_token|id_token_hint|state|nonce|password)=[^&\s"']+/gi,
    `$1=${REDACTED}`,
  ],
  // Session cookies of the IdP (and any other cookie value).
  [
    /\b(_session|_interaction|_interaction_resume|_state)([A-Za-z0-9_-]*(\.sig|\.legacy)?)=[^;\s"']+/g,
    `$1$2=${REDACTED}`,
  ],
];

/** `text` with every token-like value replaced by "[redacted]". */
export function redactTokens(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** A copy of a log record with every string in it passed through redactTokens. */
export function redactRecord<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return redactTokens(value) as T;
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactRecord(item, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = redactRecord(item, depth + 1);
  return out as T;
}
