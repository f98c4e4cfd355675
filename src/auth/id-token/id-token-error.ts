export type IdTokenRule =
  | 'missing'
  | 'malformed'
  | 'typ'
  | 'alg'
  | 'signature'
  | 'key'
  | 'iss'
  | 'aud'
  | 'azp'
  | 'exp'
  | 'iat'
  | 'nbf'
  | 'sub'
  | 'nonce'
  | 'at_hash'
  | 'auth_time'
  | 'discovery'
  | 'renewal_iss'
  | 'renewal_sub'
  | 'renewal_aud'
  | 'renewal_azp'
  | 'renewal_auth_time'
  | 'renewal_nonce';

/** An ID token that must not be trusted; `rule` names the check that failed, for QA. */
export class IdTokenError extends Error {
  readonly code = 'id_token_invalid';
  constructor(
    readonly rule: IdTokenRule,
    message: string,
  ) {
    super(message);
    this.name = 'IdTokenError';
  }
}
