// Our login and consent pages (oidc-provider's devInteractions replaced), as one Koa
// middleware placed before the provider's own routes.
import type { Context, Middleware } from 'koa';
import { errors, type Interaction, type InteractionResults, type Provider } from 'oidc-provider';
import { authenticate, findUser, grantableScopes } from './accounts.ts';
import type { ConsentMemory } from './consent-memory.ts';
import { API_SCOPE_NAMES, type ContactsScopeNames, isContactsScope } from './contacts-scopes.ts';
import { grantRefused, refusedScopes } from './refused-scopes.ts';
import {
  consentPage,
  errorPage,
  loginPage,
  STYLESHEET_PATH,
  scopeDescriptions,
  sendPage,
  stylesheet,
} from './views.ts';

const ROUTE = /^\/interaction\/([\w-]+)(?:\/(login|consent))?$/;
/** Scopes the app cannot work without: listed, never offered as a checkbox. */
/** What a sign-in cannot do without: the user may not untick these. */
export const requiredScopes = (names: ContactsScopeNames): ReadonlySet<string> =>
  new Set(['openid', names['contacts:read']]);
const MAX_FORM_BYTES = 16_384;

class FormTooLarge extends Error {}

export function interactionRoutes(
  provider: Provider,
  spaOrigin: string,
  log: (line: string) => void,
  consents: ConsentMemory,
  names: ContactsScopeNames = API_SCOPE_NAMES,
): Middleware {
  const REQUIRED_SCOPES = requiredScopes(names);
  const descriptions = scopeDescriptions(names);
  const page = (ctx: Context, status: number, html: string) =>
    sendPage(ctx, status, html, spaOrigin);

  async function finish(ctx: Context, result: InteractionResults, merge: boolean) {
    const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, {
      mergeWithLastSubmission: merge,
    });
    ctx.redirect(returnTo);
    ctx.status = 303;
  }

  async function show(ctx: Context, interaction: Interaction) {
    const { uid, prompt, params, session } = interaction;
    const client = await provider.Client.find(params.client_id);
    const clientName = client?.clientName ?? params.client_id;
    if (prompt.name === 'login') {
      const username = typeof params.login_hint === 'string' ? params.login_hint : '';
      return page(ctx, 200, loginPage({ uid, clientName, username, failed: false }));
    }
    if (prompt.name === 'consent') {
      const user = findUser(session?.accountId);
      if (!user) throw new errors.SessionNotFound('account not found');
      const requested = new Set(params.scope?.split(' '));
      const grantable = new Set<string>(grantableScopes(user.sub, names));
      const listed = [...descriptions.keys()].filter((scope) => requested.has(scope));
      // Only what is asked for the first time, or again after a refusal, may be unticked;
      // what was allowed before stays.
      const { missingOIDCScope = [], missingResourceScopes = {} } = prompt.details;
      const grant = interaction.grantId
        ? await provider.Grant.find(interaction.grantId)
        : undefined;
      const missing = new Set([
        ...missingOIDCScope,
        ...Object.values(missingResourceScopes).flat(),
        ...refusedScopes(grant, requested),
      ]);
      const offered = (s: string) => !isContactsScope(names, s) || grantable.has(s);
      const optional = new Set(
        listed.filter((s) => missing.has(s) && !REQUIRED_SCOPES.has(s) && offered(s)),
      );
      return page(
        ctx,
        200,
        consentPage({
          uid,
          clientName,
          userName: user.name,
          requested: listed.filter(offered),
          optional,
          unavailable: listed.filter((s) => !offered(s)),
          descriptions,
        }),
      );
    }
    return page(ctx, 400, errorPage({ error: 'invalid_request', description: 'Unknown step.' }));
  }

  async function login(ctx: Context, interaction: Interaction) {
    const form = await readForm(ctx);
    const username = form.get('username') ?? '';
    const result = await authenticate(username, form.get('password') ?? '');
    if (!result.ok) {
      const client = await provider.Client.find(interaction.params.client_id);
      const clientName = client?.clientName ?? interaction.params.client_id;
      // 200, not 401: the page itself is fine, and browsers log a 4xx as a console error.
      return page(
        ctx,
        200,
        loginPage({ uid: interaction.uid, clientName, username, failed: result.reason }),
      );
    }
    return finish(ctx, { login: { accountId: result.user.sub } }, false);
  }

  async function consent(ctx: Context, interaction: Interaction) {
    const form = await readForm(ctx);
    if (form.get('decision') !== 'allow') {
      return finish(
        ctx,
        { error: 'access_denied', error_description: 'The user denied access' },
        false,
      );
    }
    const { params, session, prompt } = interaction;
    const user = findUser(session?.accountId);
    if (!user) throw new errors.SessionNotFound('account not found');
    const grant =
      (interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined) ??
      new provider.Grant({ accountId: user.sub, clientId: params.client_id });
    const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = prompt.details;
    // Granular consent: a scope is allowed when required or left ticked.
    const ticked = new Set(form.getAll('scope'));
    const chosen = (scope: string) => REQUIRED_SCOPES.has(scope) || ticked.has(scope);
    const grantable = new Set<string>(grantableScopes(user.sub, names));
    // Asked again after a refusal (the app sends prompt=consent): a tick lifts the refusal.
    const reconsidered = refusedScopes(grant, new Set(params.scope?.split(' '))).filter(
      (s) => chosen(s) && (!isContactsScope(names, s) || grantable.has(s)),
    );
    if (reconsidered.length > 0) grantRefused(grant, new Set(reconsidered));
    const [oidcAllowed, oidcRefused] = split(missingOIDCScope ?? [], chosen);
    if (oidcAllowed.length > 0) grant.addOIDCScope(oidcAllowed.join(' '));
    // Recorded as refused, so the consent prompt does not come back for them.
    if (oidcRefused.length > 0) grant.rejectOIDCScope(oidcRefused.join(' '));
    if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
    for (const [resource, scopes] of Object.entries(missingResourceScopes ?? {})) {
      const [allowed, refused] = split(scopes, (s) => grantable.has(s) && chosen(s));
      if (allowed.length > 0) grant.addResourceScope(resource, allowed.join(' '));
      if (refused.length > 0) grant.rejectResourceScope(resource, refused.join(' '));
    }
    const grantId = await grant.save();
    await consents.remember(grant);
    return finish(ctx, { consent: { grantId } }, true);
  }

  return async (ctx, next) => {
    if (ctx.path === STYLESHEET_PATH && (ctx.method === 'GET' || ctx.method === 'HEAD')) {
      ctx.type = 'text/css';
      ctx.set('Cache-Control', 'no-cache');
      ctx.body = stylesheet;
      return;
    }
    const match = ROUTE.exec(ctx.path);
    if (!match) return next();
    const [, uid, step] = match;
    try {
      const interaction = await provider.interactionDetails(ctx.req, ctx.res);
      if (interaction.uid !== uid) throw new errors.SessionNotFound('interaction mismatch');
      if (ctx.method === 'GET' && step === undefined) return await show(ctx, interaction);
      if (ctx.method !== 'POST' || step === undefined) {
        return page(ctx, 404, errorPage({ error: 'not_found', description: 'No such page.' }));
      }
      // A repeated or stale submit (back button): show whatever step is current.
      if (step !== interaction.prompt.name) {
        ctx.redirect(`/interaction/${encodeURIComponent(interaction.uid)}`);
        ctx.status = 303;
        return;
      }
      return await (step === 'login' ? login(ctx, interaction) : consent(ctx, interaction));
    } catch (error) {
      if (error instanceof errors.SessionNotFound) {
        const description = 'This sign-in page has expired or was already used.';
        return page(ctx, 400, errorPage({ error: 'invalid_request', description }));
      }
      if (error instanceof FormTooLarge) {
        return page(
          ctx,
          413,
          errorPage({ error: 'invalid_request', description: 'Form too large.' }),
        );
      }
      log(`interaction error ${ctx.method} ${ctx.path}: ${String(error)}`);
      const description = 'Something went wrong on the test IdP.';
      return page(ctx, 500, errorPage({ error: 'server_error', description }));
    }
  };
}

function split(scopes: readonly string[], keep: (scope: string) => boolean): [string[], string[]] {
  return [scopes.filter(keep), scopes.filter((scope) => !keep(scope))];
}

async function readForm(ctx: Context): Promise<URLSearchParams> {
  let body = '';
  ctx.req.setEncoding('utf8');
  for await (const chunk of ctx.req) {
    body += chunk;
    if (body.length > MAX_FORM_BYTES) throw new FormTooLarge();
  }
  return new URLSearchParams(body);
}
