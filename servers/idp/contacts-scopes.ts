// The contacts API's two scopes as this IdP names them (IDP_CONTACTS_SCOPES, e.g. to stand in
// for a provider with its own names). The demo accounts keep the API's names for what each
// may do; what leaves the IdP (consent pages, tokens, the entitlements claim) uses these.
import type { ContactsScope } from '../demo-data.ts';

export type ContactsScopeNames = Readonly<Record<ContactsScope, string>>;

export const API_SCOPE_NAMES: ContactsScopeNames = {
  'contacts:read': 'contacts:read',
  'contacts:write': 'contacts:write',
};

/** This IdP's names for `scopes` (API names), in order. */
export const named = (names: ContactsScopeNames, scopes: readonly ContactsScope[]) =>
  scopes.map((scope) => names[scope]);

export const isContactsScope = (names: ContactsScopeNames, scope: string) =>
  Object.values(names).includes(scope);
