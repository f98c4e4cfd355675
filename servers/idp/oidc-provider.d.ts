// oidc-provider 9 ships no types. This covers only what servers/idp uses; the shapes
// follow the package's lib/ sources. (@types/oidc-provider 9.x would replace this file.)
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  import type Koa from 'koa';

  export type UnknownObject = Record<string, unknown>;

  export interface ClientMetadata {
    client_id: string;
    client_name?: string;
    application_type?: 'web' | 'native';
    token_endpoint_auth_method?: string;
    grant_types?: string[];
    response_types?: string[];
    redirect_uris?: string[];
    post_logout_redirect_uris?: string[];
    [key: string]: unknown;
  }

  export interface Client {
    clientId: string;
    clientName?: string;
    applicationType: 'web' | 'native';
    clientAuthMethod: string;
    grantTypeAllowed(type: string): boolean;
  }

  export interface AccountClaims {
    sub: string;
    [claim: string]: unknown;
  }

  export interface Account {
    accountId: string;
    claims(
      use: 'id_token' | 'userinfo' | string,
      scope: string,
      claims: UnknownObject,
      rejected: string[],
    ): AccountClaims | Promise<AccountClaims>;
  }

  export interface Session {
    accountId?: string;
    grantIdFor(clientId: string): string | undefined;
  }

  export interface BaseToken {
    jti: string;
    accountId?: string;
    clientId?: string;
    grantId?: string;
    readonly remainingTTL: number;
    readonly scopes: Set<string>;
  }

  interface TokenModel<T> {
    find(value: string, options?: { ignoreExpiration?: boolean }): Promise<T | undefined>;
  }

  export interface RefreshToken extends BaseToken {
    isSenderConstrained(): boolean;
  }

  export interface OIDCContext {
    readonly route: string;
    readonly provider: Provider;
    readonly account?: Account;
    readonly client?: Client;
    readonly session?: Session;
    readonly params?: UnknownObject & {
      grant_type?: string;
      redirect_uri?: string;
      scope?: string;
    };
    readonly result?: { consent?: { grantId?: string } };
    readonly entities: {
      readonly Account?: Account;
      readonly AuthorizationCode?: BaseToken;
      readonly Grant?: Grant;
      readonly AccessToken?: BaseToken;
      readonly RefreshToken?: RefreshToken;
      readonly RotatedRefreshToken?: RefreshToken;
      readonly [name: string]: unknown;
    };
  }

  export type KoaContextWithOIDC = Koa.ParameterizedContext<
    Koa.DefaultState,
    Koa.DefaultContext & { oidc: OIDCContext }
  >;

  export interface PromptDetails {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  }

  export interface Interaction {
    uid: string;
    grantId?: string;
    prompt: { name: 'login' | 'consent' | string; reasons: string[]; details: PromptDetails };
    params: UnknownObject & { client_id: string; scope?: string; login_hint?: string };
    session?: { accountId: string; uid: string };
  }

  export type InteractionResults =
    | { login: { accountId: string; remember?: boolean } }
    | { consent: { grantId?: string } }
    | { error: string; error_description?: string };

  export class Grant {
    constructor(properties: {
      accountId: string;
      clientId: string;
      openid?: unknown;
      resources?: unknown;
      rejected?: unknown;
    });
    static find(id: string): Promise<Grant | undefined>;
    jti?: string;
    accountId: string;
    clientId: string;
    openid?: unknown;
    resources?: unknown;
    rejected?: unknown;
    rejectOIDCScope(scope: string): void;
    getOIDCScope(): string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    rejectResourceScope(resource: string, scope: string): void;
    save(ttl?: number): Promise<string>;
  }

  export interface ResourceServer {
    scope: string;
    audience?: string;
    accessTokenTTL?: number;
    accessTokenFormat?: 'opaque' | 'jwt';
    jwt?: { sign?: { alg?: string } };
  }

  export interface AdapterPayload {
    jti?: string;
    uid?: string;
    userCode?: string;
    grantId?: string;
    consumed?: number;
    [key: string]: unknown;
  }

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  type CanBePromise<T> = T | Promise<T>;
  type TtlFunction<T> = (ctx: KoaContextWithOIDC, token: T, client: Client) => number;

  export interface Configuration {
    adapter?: (model: string) => Adapter;
    clients?: ClientMetadata[];
    scopes?: string[];
    claims?: Record<string, string[] | null>;
    conformIdTokenClaims?: boolean;
    allowOmittingSingleRegisteredRedirectUri?: boolean;
    responseTypes?: string[];
    jwks?: { keys: UnknownObject[] };
    cookies?: {
      keys?: string[];
      names?: { session?: string; interaction?: string; resume?: string; state?: string };
    };
    loadExistingGrant?: (ctx: KoaContextWithOIDC) => CanBePromise<Grant | undefined>;
    findAccount?: (
      ctx: KoaContextWithOIDC,
      sub: string,
      token?: unknown,
    ) => CanBePromise<Account | undefined>;
    issueRefreshToken?: (
      ctx: KoaContextWithOIDC,
      client: Client,
      code: BaseToken,
    ) => CanBePromise<boolean>;
    rotateRefreshToken?: boolean | ((ctx: KoaContextWithOIDC) => CanBePromise<boolean>);
    renderError?: (
      ctx: KoaContextWithOIDC,
      out: { error: string; error_description?: string },
      error: Error,
    ) => CanBePromise<void>;
    ttl?: {
      AccessToken?: number | TtlFunction<BaseToken>;
      IdToken?: number | TtlFunction<BaseToken>;
      RefreshToken?: number | TtlFunction<RefreshToken>;
      Interaction?: number;
      Session?: number;
      Grant?: number;
    };
    features?: {
      devInteractions?: { enabled: boolean };
      revocation?: { enabled: boolean };
      rpInitiatedLogout?: {
        enabled?: boolean;
        logoutSource?: (ctx: KoaContextWithOIDC, form: string) => CanBePromise<void>;
        postLogoutSuccessSource?: (ctx: KoaContextWithOIDC) => CanBePromise<void>;
      };
      resourceIndicators?: {
        enabled?: boolean;
        defaultResource?: (
          ctx: KoaContextWithOIDC,
          client: Client,
          oneOf?: string[],
        ) => CanBePromise<string | string[] | undefined>;
        useGrantedResource?: (ctx: KoaContextWithOIDC, model: unknown) => CanBePromise<boolean>;
        getResourceServerInfo?: (
          ctx: KoaContextWithOIDC,
          resourceIndicator: string,
          client: Client,
        ) => CanBePromise<ResourceServer>;
      };
      [feature: string]: UnknownObject | undefined;
    };
  }

  export class Provider extends Koa {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    readonly Grant: typeof Grant;
    readonly AuthorizationCode: TokenModel<BaseToken>;
    readonly RefreshToken: TokenModel<RefreshToken>;
    readonly Client: { find(id: string): Promise<Client | undefined> };
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
    interactionResult(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResults,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<string>;
  }

  class OIDCProviderError extends Error {
    error: string;
    error_description?: string;
    error_detail?: string;
    status: number;
  }

  export const errors: {
    OIDCProviderError: typeof OIDCProviderError;
    SessionNotFound: typeof OIDCProviderError;
    InvalidTarget: new (description?: string) => OIDCProviderError;
  };

  export default Provider;
}
