// The app's one UserManager: it never stores a user whose ID token has not been fully
// validated, whether it comes from the sign-in callback or from a renewal. oidc-client-ts
// stores the user before signinCallback/signinSilent return, so the check sits in storeUser,
// the one place every path goes through. It also keeps each stored token's exact lifetime
// (the session layer schedules renewals from it) and takes sessions other tabs validated.
import {
  type SigninRedirectArgs,
  type SigninSilentArgs,
  type User,
  UserManager,
  type UserManagerSettings,
} from 'oidc-client-ts';
import type { Clock } from '../../lib/clock.ts';
import { type Credential, credentialOf } from '../credential/credential.ts';
import { loadIdTokenValidator } from '../id-token/load-id-token-validator.ts';
import { createNonce } from '../id-token/nonce.ts';
import type { IdTokenClaims } from '../id-token/verify-id-token.ts';
import {
  type Reauthentication,
  reauthenticated,
  reauthenticationParams,
  reauthenticationRequired,
} from '../sign-in/reauthentication.ts';
import { scopeWithGrantedExtras } from '../sign-in/sign-in.ts';
import { SignInError, toSignInError } from '../sign-in/sign-in-error.ts';
import { createProviderTrust, type ProviderTrust } from './provider-trust.ts';

export interface ValidationOptions {
  issuer: string;
  clientId: string;
  clock: Clock;
  clockToleranceSeconds: number;
  /** How this provider is made to authenticate the user again (default max_age=0). */
  reauthentication?: Reauthentication;
}

/** The ID token was just issued: older than this is a replay or a broken clock. */
const MAX_ID_TOKEN_AGE_SECONDS = 600;

export class ValidatingUserManager extends UserManager {
  private callbacksInProgress = 0;
  /** `expires_in` of each stored user, read when it was stored. */
  private readonly lifetimes = new WeakMap<User, number>();
  /** The nonce of the latest silent renewal: sent only when it goes through the iframe. */
  private silentNonce: string | undefined;
  readonly trust: ProviderTrust;

  constructor(
    settings: UserManagerSettings,
    private readonly validation: ValidationOptions,
    trust?: ProviderTrust,
  ) {
    super(settings);
    // Built on the manager's own metadata service, so discovery loads once.
    this.trust = trust ?? createProviderTrust(this.metadataService, validation.issuer);
  }

  /**
   * Refuses to leave for a provider whose discovery names another issuer. After an idle
   * timeout the request makes the provider authenticate the user again (reauthentication.ts);
   * its state says how, for the checks on the way back.
   */
  override async signinRedirect(args: SigninRedirectArgs = {}): Promise<void> {
    await this.trust.metadata();
    const nonce = createNonce();
    const how = reauthenticationRequired()
      ? (this.validation.reauthentication ?? 'max_age=0')
      : undefined;
    return super.signinRedirect({
      ...args,
      ...(how ? reauthenticationParams(how, args.prompt) : {}),
      nonce,
      state: { ...asRecord(args.state), nonce, ...(how ? { reauthentication: how } : {}) },
    });
  }

  override async signinSilent(args: SigninSilentArgs = {}): Promise<User | null> {
    void loadIdTokenValidator().catch(() => undefined); // downloads while the token is fetched
    const nonce = createNonce();
    this.silentNonce = nonce;
    try {
      return await super.signinSilent({
        // A prompt=none sign-in (a reloaded tab) asks again for scopes granted incrementally.
        scope: scopeWithGrantedExtras(this.settings.scope),
        ...args,
        nonce,
        state: { ...asRecord(args.state), nonce },
      });
    } catch (error) {
      // oidc-client-ts's own renewal checks (same sub, auth_time, azp) throw before storeUser:
      // a renewal for someone else ends this session too, not just this renewal.
      if (toSignInError(error).detail.startsWith('renewal_')) await this.removeUser();
      throw error;
    }
  }

  override async signinCallback(url: string = window.location.href): Promise<User | undefined> {
    // The validator chunk downloads while the response is checked and the code exchanged.
    void loadIdTokenValidator().catch(() => undefined);
    // Before oidc-client-ts looks the state up, so a malformed response is named as such.
    await this.checkAuthorizationResponse(url);
    this.trust.prefetch(); // the keys load while the code is exchanged
    this.callbacksInProgress += 1;
    try {
      return await super.signinCallback(url);
    } finally {
      this.callbacksInProgress -= 1;
    }
  }

  /**
   * IMPORTANT: every authorization response goes through here before its code is exchanged:
   * the top-level callback (checked once more) and the hidden prompt=none iframe's, which
   * never passes through signinCallback (a popup's would come here too).
   */
  protected override async _signinEnd(url: string, verifySub?: string): Promise<User> {
    await this.checkAuthorizationResponse(url);
    return super._signinEnd(url, verifySub);
  }

  override async storeUser(user: User | null): Promise<void> {
    // expires_in counts down from the moment the token response was read: read it first.
    const lifetimeMs = user?.expires_in !== undefined ? user.expires_in * 1000 : undefined;
    if (user) {
      const renewing = this.callbacksInProgress === 0 ? await this.getUser() : null;
      try {
        await this.validate(user, renewing);
      } catch (error) {
        // A renewal that fails validation ends the session: it may be another user's.
        if (renewing) await this.removeUser();
        throw error;
      }
    }
    await super.storeUser(user);
    // Stryker disable next-line LogicalOperator,ConditionalExpression: a lifetime comes only with a user, and an unknown one reads back as unknown
    if (user && lifetimeMs !== undefined) this.lifetimes.set(user, lifetimeMs);
    // A sign-in that authenticated the user again, as an idle timeout asked, has come back
    // (a renewal keeps the sign-in's state, so only the callback counts).
    const callback = this.callbacksInProgress > 0;
    if (callback && asRecord(user?.state).reauthentication !== undefined) reauthenticated();
  }

  /** The stored access token as a credential for API requests; null when there is none. */
  async credential(): Promise<Credential | null> {
    const user = await this.getUser();
    return user?.access_token ? credentialOf(user) : null;
  }

  /** The access token's lifetime as it was when `user` was stored (sign-in or renewal). */
  lifetimeOf(user: User): number | undefined {
    return this.lifetimes.get(user);
  }

  /** A session another tab of this app obtained and validated: stored as is. */
  async adoptUser(user: User): Promise<void> {
    await super.storeUser(user);
    // This tab's first renewal validates an ID token: have the provider's keys by then.
    this.trust.prefetch();
    await this.events.load(user);
  }

  private async validate(user: User, previous: User | null): Promise<void> {
    if (previous?.id_token && previous.id_token === user.id_token) return; // kept from before
    const { checkRenewedIdToken, decodeJwt, verifyIdToken } = await loadIdTokenValidator();
    const previousClaims = previous?.id_token
      ? (decodeJwt(previous.id_token) as IdTokenClaims)
      : undefined;
    const requestNonce = stringOrUndefined(asRecord(user.state).nonce);
    // A refresh keeps the stored user's request state; a prompt=none iframe renewal answers
    // a new authorization request, whose state holds the nonce just sent. Its ID token is a
    // new authentication response: it must carry that nonce (OIDC Core 3.1.3.7).
    const answersNewRequest =
      // Stryker disable next-line ConditionalExpression: without a previous ID token the nonce rules below come out the same either way
      previousClaims !== undefined &&
      requestNonce !== undefined &&
      requestNonce === this.silentNonce;
    const claims = await verifyIdToken(
      user.id_token,
      await this.trust.keys(),
      {
        issuer: this.validation.issuer,
        clientId: this.validation.clientId,
        algorithms: await this.trust.algorithms(),
        // At sign-in (or an iframe renewal), the nonce sent (kept in the request state). On a
        // refresh the nonce may be absent or must equal the first ID token's.
        nonce: previousClaims && !answersNewRequest ? previousClaims.nonce : requestNonce,
        nonceRequired: !previousClaims || answersNewRequest,
        accessToken: user.access_token,
        // max_age=0 was sent: the provider must have authenticated the user just now.
        maxAgeSeconds: asRecord(user.state).reauthentication === 'max_age=0' ? 0 : undefined,
        clockToleranceSeconds: this.validation.clockToleranceSeconds,
        maxTokenAgeSeconds: MAX_ID_TOKEN_AGE_SECONDS,
      },
      this.validation.clock,
    );
    if (previousClaims) {
      checkRenewedIdToken(previousClaims, claims, this.validation.clientId, {
        newNonce: answersNewRequest,
      });
    }
  }

  /** RFC 9207 and a well-formed response, before any token request is made. */
  private async checkAuthorizationResponse(url: string): Promise<void> {
    const params = new URL(url).searchParams;
    if (!params.has('state')) {
      throw new SignInError(
        'invalid_response',
        'This sign-in response is incomplete.',
        'state is missing',
      );
    }
    if (!params.has('code') && !params.has('error')) {
      throw new SignInError(
        'invalid_response',
        'This sign-in response is incomplete.',
        'code is missing',
      );
    }
    const iss = params.get('iss');
    const metadata = await this.trust.metadata();
    if (iss === null && metadata.authorization_response_iss_parameter_supported) {
      throw mixUp('iss is missing although the provider always sends it');
    }
    if (iss !== null && iss !== this.validation.issuer) {
      throw mixUp(`iss "${iss.slice(0, 100)}" is not the provider signed in with`);
    }
  }
}

const mixUp = (detail: string) =>
  new SignInError(
    'invalid_response',
    'This sign-in response did not come from the expected provider.',
    detail,
  );

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

const stringOrUndefined = (value: unknown) => (typeof value === 'string' ? value : undefined);
