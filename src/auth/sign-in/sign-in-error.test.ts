import { ErrorResponse, ErrorTimeout } from 'oidc-client-ts';
import { describe, expect, it } from 'vitest';
import { IdTokenError } from '../id-token/id-token-error.ts';
import { toSignInError } from './sign-in-error.ts';

const providerError = (error: string, description?: string) =>
  new ErrorResponse({ error, ...(description ? { error_description: description } : {}) });

describe('toSignInError', () => {
  it.each([
    ['access_denied', 'access_denied', 'You chose not to allow access'],
    ['login_required', 'login_required', 'sign in again'],
    ['consent_required', 'consent_required', 'allow access again'],
    ['interaction_required', 'login_required', 'sign in again'],
    ['temporarily_unavailable', 'provider_unavailable', 'Try again in a moment'],
    ['invalid_request', 'provider_error', 'could not sign you in'],
    ['server_error', 'provider_unavailable', 'Try again in a moment'],
    ['unheard_of', 'provider_error', 'could not sign you in'],
  ])('maps the provider error %s to %s', (error, code, words) => {
    const mapped = toSignInError(providerError(error, 'details'));
    expect(mapped.code).toBe(code);
    expect(mapped.message).toContain(words);
    expect(mapped.detail).toBe(`${error}: details`);
    expect(mapped.source).toBe('signinCallback');
  });

  it('clips a long provider description', () => {
    expect(
      toSignInError(providerError('server_error', 'x'.repeat(5000))).detail.length,
    ).toBeLessThan(260);
  });

  it('treats an unknown or used state as an invalid response', () => {
    expect(toSignInError(new Error('No matching state found in storage')).code).toBe(
      'invalid_response',
    );
  });

  it('reports timeouts and unreachable providers as network problems', () => {
    expect(toSignInError(new ErrorTimeout('timed out')).code).toBe('network');
    expect(toSignInError(new TypeError('Failed to fetch')).code).toBe('network');
  });

  it('explains an ID token that failed validation, naming the rule', () => {
    const mapped = toSignInError(new IdTokenError('nonce', 'nonce does not match the request'));
    expect(mapped.code).toBe('id_token_invalid');
    expect(mapped.message).toContain('could not be verified');
    expect(mapped.detail).toBe('nonce: nonce does not match the request');
  });

  it('says when the provider did not confirm the time of a sign-in the app had to check', () => {
    const mapped = toSignInError(
      new IdTokenError('auth_time', 'auth_time cannot be true (0, not a time, or in the future)'),
    );
    expect(mapped.code).toBe('id_token_invalid');
    expect(mapped.message).toBe(
      'The identity provider did not confirm when you last signed in, which this app must check, so you are not signed in.',
    );
    expect(mapped.detail).toBe(
      'auth_time: auth_time cannot be true (0, not a time, or in the future)',
    );
  });

  it.each([
    ['ID Token is missing a subject claim', 'sub'],
    ['nonce in id_token does not match nonce in client storage', 'nonce'],
    ['sub in id_token does not match current sub', 'renewal_sub'],
    ['azp not in id_token, but present in original id_token', 'renewal_azp'],
    ['Invalid token specified: missing part #2', 'malformed'],
  ])('names the rule behind the library message "%s"', (message, rule) => {
    const mapped = toSignInError(new Error(message));
    expect(mapped.code).toBe('id_token_invalid');
    expect(mapped.detail.startsWith(`${rule}: `)).toBe(true);
  });

  it('explains a 5xx from the token endpoint as the provider being unavailable', () => {
    expect(toSignInError(new Error('Service Unavailable (503)')).code).toBe('provider_unavailable');
  });

  it('never passes an unknown failure through unexplained', () => {
    const mapped = toSignInError('weird');
    expect(mapped.code).toBe('unknown');
    expect(mapped.message).toBe('The sign-in response could not be verified.');
  });
});
