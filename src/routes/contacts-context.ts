// What every contacts route needs: the API client (with the authorized fetch, made once)
// and who is signed in, as the contacts screens see it (no token ever leaves auth).
import type { User } from 'oidc-client-ts';
import type { AuthRegistry } from '../auth/provider/auth-registry.ts';
import {
  settleWriteRequest,
  type WriteAccess,
  writeAccessOf,
} from '../auth/sign-in/write-access.ts';
import type { ContactsApi } from '../contacts/contacts-api.ts';
import type { Session } from '../session/create-session.ts';
import type { DraftOwner } from '../session/drafts.ts';
import { requireUser } from '../session/require-user.ts';
import type { AppServices } from './app-services.tsx';

export interface ContactsContext {
  api: ContactsApi;
  auth: AuthRegistry;
  session: Session;
}

export function contactsContext({
  config,
  auth,
  session,
}: Pick<AppServices, 'config' | 'auth' | 'session'>): ContactsContext {
  return { api: { fetch: session.apiFetch, baseUrl: config.api.baseUrl }, auth, session };
}

export interface Viewer {
  /** Issuer + subject: whose address book this is. */
  owner: string;
  /** The same account, as drafts are keyed (src/session/drafts.ts). */
  draftOwner: DraftOwner;
  scopes: readonly string[];
  canWrite: boolean;
  writeAccess: WriteAccess;
}

/** Whose address book: issuer + subject (the same subject at two issuers is two people). */
export const ownerOf = (user: User) => `${user.profile.iss} ${user.profile.sub}`;

export function viewerOf(user: User): Viewer {
  const scopes = (user.scope ?? '').split(' ').filter(Boolean);
  const owner = ownerOf(user);
  const canWrite = scopes.includes('contacts:write');
  settleWriteRequest(owner, canWrite); // back from asking for write access, if we were
  const draftOwner = { issuer: user.profile.iss, subject: user.profile.sub };
  return {
    owner,
    draftOwner,
    scopes,
    canWrite,
    writeAccess: writeAccessOf(user, owner, scopes),
  };
}

export async function requireViewer(session: Session, requestUrl: string): Promise<Viewer> {
  return viewerOf(await requireUser(session, requestUrl));
}
