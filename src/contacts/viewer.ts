// Who is looking at the address book, and what the app may do with it for them: plain
// data the contacts screens read (the routes derive it from the signed-in user).

/** What may come of asking the provider for permission to edit (auth/sign-in/write-access.ts). */
export type WriteAccess = 'granted' | 'available' | 'declined' | 'interrupted' | 'not_entitled';

export interface Viewer {
  /** Issuer + subject: whose address book this is. */
  owner: string;
  /** The same account's issuer and subject (drafts are kept per account). */
  issuer: string;
  subject: string;
  scopes: readonly string[];
  canWrite: boolean;
  writeAccess: WriteAccess;
  /** Leaves for the provider to ask for permission to edit, coming back to `returnTo`. */
  askForWriteAccess(returnTo: string): Promise<void>;
}

/** Whose address book: issuer + subject (the same subject at two issuers is two people). */
export const ownerOf = (claims: { iss: string; sub: string }) => `${claims.iss} ${claims.sub}`;
