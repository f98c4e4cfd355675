// The IdP's own pages: plain server-rendered HTML, no scripts, no external resources.
// IMPORTANT: every interpolated value goes through escapeHtml.
import type { Context } from 'koa';
import type { ContactsScopeNames } from './contacts-scopes.ts';

export const STYLESHEET_PATH = '/assets/styles.css';

/** The scopes in plain words, in the order they are listed, by this IdP's names. */
export function scopeDescriptions(names: ContactsScopeNames): ReadonlyMap<string, string> {
  return new Map([
    ['openid', 'Know who you are'],
    ['profile', 'See your name'],
    ['email', 'See your email address'],
    ['offline_access', 'Stay signed in while you are away'],
    [names['contacts:read'], 'Read your contacts'],
    [names['contacts:write'], 'Create, edit and delete your contacts'],
  ]);
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** Sends a page with the headers every IdP page carries. */
export function sendPage(ctx: Context, status: number, html: string, spaOrigin: string): void {
  ctx.set({
    // form-action must also allow the SPA: Chromium applies it to the redirects that
    // follow a form post (consent → /auth → SPA callback; logout → SPA).
    'Content-Security-Policy': `default-src 'none'; style-src 'self'; form-action 'self' ${spaOrigin}; frame-ancestors 'none'; base-uri 'none'`,
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
  ctx.status = status;
  ctx.type = 'html';
  ctx.body = html;
}

function layout(title: string, main: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – test IdP</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
</head>
<body>
<main>
${main}
</main>
<footer>Local test identity provider, for development only.</footer>
</body>
</html>
`;
}

/** Why the last attempt failed, in the words the login page shows. */
export const LOGIN_ERRORS = {
  'wrong-credentials': 'Wrong username or password.',
  disabled: 'This account is disabled.',
} as const;

export function loginPage(input: {
  uid: string;
  clientName: string;
  username: string;
  failed: keyof typeof LOGIN_ERRORS | false;
}): string {
  const action = `/interaction/${encodeURIComponent(input.uid)}/login`;
  const invalid = input.failed ? ' aria-invalid="true" aria-describedby="login-error"' : '';
  const focusPassword = input.failed !== false || input.username !== '';
  return layout(
    'Sign in',
    `<h1>Sign in</h1>
<p>to continue to <strong>${escapeHtml(input.clientName)}</strong></p>
${input.failed ? `<p role="alert" id="login-error" class="error">${LOGIN_ERRORS[input.failed]}</p>` : ''}
<form method="post" action="${escapeHtml(action)}">
<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${escapeHtml(input.username)}"${invalid}${focusPassword ? '' : ' autofocus'}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${invalid}${focusPassword ? ' autofocus' : ''}>
<button type="submit">Sign in</button>
</form>`,
  );
}

export function consentPage(input: {
  uid: string;
  clientName: string;
  userName: string;
  requested: readonly string[];
  /** Requested scopes the user may untick; the rest are required or already allowed. */
  optional: ReadonlySet<string>;
  unavailable: readonly string[];
  descriptions: ReadonlyMap<string, string>;
}): string {
  const action = `/interaction/${encodeURIComponent(input.uid)}/consent`;
  const label = (scope: string) => escapeHtml(input.descriptions.get(scope) ?? scope);
  // Checkboxes belong to the form below (form=...), so the list stays a plain list.
  const item = (scope: string) =>
    input.optional.has(scope)
      ? `<li><label><input type="checkbox" form="consent" name="scope" value="${escapeHtml(scope)}" checked> ${label(scope)}</label></li>`
      : `<li>${label(scope)}</li>`;
  const items = (scopes: readonly string[], optional = true) =>
    scopes.map((scope) => (optional ? item(scope) : `<li>${label(scope)}</li>`)).join('\n');
  const client = escapeHtml(input.clientName);
  return layout(
    'Allow access',
    `<h1>Allow ${client} to access your account?</h1>
<p>Signed in as <strong>${escapeHtml(input.userName)}</strong></p>
<p id="requested">${client} will be able to:</p>
<ul aria-labelledby="requested">
${items(input.requested)}
</ul>
${
  input.unavailable.length > 0
    ? `<p id="unavailable">Not available for your account:</p>
<ul aria-labelledby="unavailable" class="unavailable">
${items(input.unavailable, false)}
</ul>`
    : ''
}
${input.optional.size > 0 ? '<p class="hint">Untick anything you do not want to share.</p>' : ''}
<form id="consent" method="post" action="${escapeHtml(action)}" class="actions">
<button type="submit" name="decision" value="allow" autofocus>Allow</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</form>`,
  );
}

export function errorPage(input: { error: string; description?: string | undefined }): string {
  return layout(
    'Sign-in error',
    `<h1>Sign-in error</h1>
<p>${escapeHtml(input.description ?? 'The sign-in request could not be completed.')}</p>
<p>Error: <code>${escapeHtml(input.error)}</code></p>
<p>Go back to the app and try again.</p>`,
  );
}

/** `form` is oidc-provider's own (empty) form holding the xsrf token; the buttons submit it. */
export function logoutPage(input: { form: string; userName: string | undefined }): string {
  return layout(
    'Sign out',
    `<h1>Sign out of the test IdP?</h1>
${input.userName ? `<p>Signed in as <strong>${escapeHtml(input.userName)}</strong></p>` : ''}
${input.form}
<div class="actions">
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Yes, sign me out</button>
<button type="submit" form="op.logoutForm" class="secondary">No, stay signed in</button>
</div>`,
  );
}

export function signedOutPage(): string {
  return layout(
    'Signed out',
    `<h1>You are signed out</h1>
<p>You can close this page.</p>`,
  );
}

export const stylesheet = `:root{color-scheme:light dark;font-family:system-ui,sans-serif;line-height:1.5}
body{margin:0;padding:2rem 1rem;background:Canvas;color:CanvasText}
main{max-width:24rem;margin:0 auto;padding:1.5rem;border:1px solid GrayText;border-radius:.5rem}
h1{font-size:1.5rem;margin:0 0 1rem}
label{display:block;font-weight:600;margin-top:1rem}
input{box-sizing:border-box;width:100%;padding:.5rem;font:inherit;margin-top:.25rem}
button{font:inherit;padding:.5rem 1rem;margin-top:1rem;border-radius:.25rem;border:2px solid #1a56c4;background:#1a56c4;color:#fff;cursor:pointer}
button.secondary{background:transparent;color:inherit}
:focus-visible{outline:3px solid #e8a300;outline-offset:2px}
.actions{display:flex;gap:.75rem;flex-wrap:wrap}
.error{color:#b00020;font-weight:600;border-left:4px solid #b00020;padding-left:.5rem}
.unavailable{color:GrayText}
li label{display:inline;font-weight:400;margin:0}
li input{width:auto;margin:0 .25rem 0 0}
.hint{font-size:.875rem;color:GrayText}
@media (prefers-color-scheme:dark){.error{color:#ff8a80;border-color:#ff8a80}button{border-color:#8ab4f8;background:#8ab4f8;color:#111}}
footer{text-align:center;font-size:.875rem;color:GrayText;margin-top:1rem}
`;
