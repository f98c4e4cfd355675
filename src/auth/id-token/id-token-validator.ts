// Everything that checks an ID token, jose included: one lazily loaded chunk, so the
// signed-out home page does not download it (see load-id-token-validator.ts).
export { createRemoteJWKSet, customFetch, decodeJwt } from 'jose';
export { checkRenewedIdToken } from './renewal-rules.ts';
export { verifyIdToken } from './verify-id-token.ts';
