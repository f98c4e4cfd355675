// The SPA's only contract with its environment: /config.json, parsed once and typed.
import * as v from 'valibot';

const isLoopback = (host: string) =>
  host === 'localhost' || host === '127.0.0.1' || host === '[::1]';

const parseUrl = (value: string): URL | null => {
  try {
    return new URL(value);
  } catch {
    return null;
  }
};

/** https everywhere; plain http only on loopback, where no network can read the traffic. */
const secureUrl = (what: string) =>
  v.pipe(
    v.string(`${what} must be a string`),
    v.url(`${what} must be an absolute URL`),
    v.check((value) => {
      const url = parseUrl(value);
      return (
        !url || url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname))
      );
    }, `${what} must use https (http is allowed only for localhost)`),
    v.check((value) => {
      const url = parseUrl(value);
      return !url || (!url.search && !url.hash);
    }, `${what} must have no query or fragment`),
  );

const scopeString = v.pipe(
  v.string('must be a string'),
  v.regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'must be one word of printable characters'),
);

/** The app's two permissions, as the provider names them (RFC 6749 scope strings). */
const ContactsScopesSchema = v.strictObject({
  read: scopeString,
  write: scopeString,
});

export const DEFAULT_CONTACTS_SCOPES = { read: 'contacts:read', write: 'contacts:write' } as const;

const ProviderFields = v.strictObject({
  id: v.pipe(
    v.string('must be a string'),
    v.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be lower-case letters, digits and dashes'),
  ),
  label: v.pipe(v.string('must be a string'), v.nonEmpty('must not be empty')),
  issuer: secureUrl('issuer'),
  clientId: v.pipe(v.string('must be a string'), v.nonEmpty('must not be empty')),
  /**
   * How to ask this provider for a token whose audience is the API: RFC 8707 `resource`,
   * Auth0-style `audience`, or nothing (the provider sets the audience itself).
   */
  audienceParameter: v.optional(
    v.picklist(['resource', 'audience', 'none'], 'must be "resource", "audience" or "none"'),
    'none',
  ),
  /**
   * Bind tokens to a browser-held key with DPoP (RFC 9449): the code (`dpop_jkt`), access
   * and refresh tokens. Only for providers (and an API) that support it.
   */
  dpop: v.optional(v.boolean('must be true or false'), false),
  /**
   * How to make this provider authenticate the user again (after an idle timeout):
   * `max_age=0`, with the returned auth_time checked, for providers whose auth_time is
   * real; `prompt=login` for those that send a meaningless one.
   */
  reauthentication: v.optional(
    v.picklist(['max_age=0', 'prompt=login'], 'must be "max_age=0" or "prompt=login"'),
    'max_age=0',
  ),
  /**
   * How sign-out ends the session at this provider. `request`: name the app by `client_id`
   * (no token in the URL), or send the ID token as `id_token_hint`, for providers that
   * ignore a logout without it; the ID token then travels in a URL and the provider's logs
   * (docs/security.md). `revocation`: whether the refresh token is revoked first (false for
   * a provider that refuses it from a public client).
   */
  logout: v.optional(
    v.strictObject({
      request: v.optional(
        v.picklist(['client_id', 'id_token_hint'], 'must be "client_id" or "id_token_hint"'),
        'client_id',
      ),
      revocation: v.optional(v.boolean('must be true or false'), true),
    }),
    { request: 'client_id', revocation: true },
  ),
  scopes: v.pipe(
    v.array(
      v.pipe(
        v.string('each scope must be a string'),
        v.regex(
          /^[\x21\x23-\x5B\x5D-\x7E]+$/,
          'each scope must be one word of printable characters',
        ),
      ),
      'must be a list of scopes',
    ),
    v.check((scopes) => scopes.includes('openid'), 'must include "openid"'),
  ),
  /**
   * The provider's names for reading and editing contacts: what the app asks for (reading
   * at sign-in, editing when the user wants to) and looks for in what was granted. The
   * contacts API maps the same names (its issuer profile).
   */
  contactsScopes: v.optional(ContactsScopesSchema, DEFAULT_CONTACTS_SCOPES),
});

const ProviderSchema = v.pipe(
  ProviderFields,
  // Sign-in asks for reading: a provider that names it otherwise needs the mapping.
  v.forward(
    v.check(
      (provider) => provider.scopes.includes(provider.contactsScopes.read),
      (issue) =>
        `must name this provider's scope for reading contacts, which the scopes asked at sign-in include ("${issue.input.contactsScopes.read}" is not among them)`,
    ),
    ['contactsScopes'],
  ),
);

const OptionsSchema = v.strictObject({
  renewMarginSeconds: v.optional(
    v.pipe(
      v.number('must be a number'),
      v.integer('must be a whole number'),
      v.minValue(1),
      v.maxValue(600),
    ),
    30,
  ),
  clockToleranceSeconds: v.optional(
    v.pipe(
      v.number('must be a number'),
      v.integer('must be a whole number'),
      v.minValue(0),
      v.maxValue(600),
    ),
    120,
  ),
  /** Ends the session after this long without user activity in any tab; absent: never. */
  idleTimeoutMinutes: v.optional(
    v.pipe(
      v.number('must be a number'),
      v.integer('must be a whole number'),
      v.minValue(1),
      v.maxValue(1440),
    ),
  ),
  /**
   * How long after sign-in a session kept across reloads (a DPoP-bound refresh token in
   * IndexedDB) may still be used; past it the record is deleted unused. Set it to the
   * provider's refresh-token lifetime, or less.
   */
  sessionLifetimeHours: v.optional(
    v.pipe(v.number('must be a number'), v.minValue(0.01), v.maxValue(24 * 90)),
    8,
  ),
  /**
   * How often the contacts list asks the API whether it changed while the page is visible
   * (besides on focus and when the page comes back into view); never while hidden.
   */
  contactsRefreshSeconds: v.optional(
    v.pipe(
      v.number('must be a number'),
      v.integer('must be a whole number'),
      v.minValue(5, 'must be at least 5'),
      v.maxValue(3600, 'must be at most 3600'),
    ),
    60,
  ),
});

export const AppConfigSchema = v.strictObject(
  {
    providers: v.pipe(
      v.array(ProviderSchema, 'must be a list of providers'),
      v.minLength(1, 'must name at least one provider'),
      v.check(
        (list) => new Set(list.map((p) => p.id)).size === list.length,
        'provider ids must be unique',
      ),
    ),
    api: v.strictObject({
      baseUrl: secureUrl('baseUrl'),
      resource: v.pipe(v.string('must be a string'), v.nonEmpty('must not be empty')),
    }),
    options: v.optional(OptionsSchema, {}),
  },
  'must be a JSON object',
);

export type AppConfig = v.InferOutput<typeof AppConfigSchema>;
export type ProviderConfig = AppConfig['providers'][number];

export class ConfigError extends Error {
  readonly code = 'invalid_config';
  constructor(
    message: string,
    /** One line per problem, each naming the field, e.g. `providers[0].issuer: must use https`. */
    readonly problems: readonly string[],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function parseAppConfig(input: unknown): AppConfig {
  const result = v.safeParse(AppConfigSchema, input);
  if (result.success) return result.output;
  const problems = result.issues.map(
    (issue) => `${fieldPath(issue.path)}: ${describeIssue(issue)}`,
  );
  throw new ConfigError('The app configuration (/config.json) is invalid.', problems);
}

function describeIssue(issue: v.BaseIssue<unknown>): string {
  // valibot's own wording for missing and unknown keys is about schemas, not settings.
  if (issue.kind === 'schema' && issue.expected === 'never') return 'is not a known setting';
  if (issue.kind === 'schema' && issue.input === undefined && issue.received === 'undefined')
    return 'is required';
  return issue.message;
}

function fieldPath(path: readonly { key: unknown }[] | undefined): string {
  if (!path || path.length === 0) return '(root)';
  return path
    .map((item, index) => {
      if (typeof item.key === 'number') return `[${item.key}]`;
      return index === 0 ? String(item.key) : `.${String(item.key)}`;
    })
    .join('');
}
