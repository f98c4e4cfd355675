// Test mode: ending what a user holds at the IdP: browser sessions, grants (and with them
// every refresh and access token record), and remembered consent.
import type { Adapter } from 'oidc-provider';
import type { ConsentMemory } from './consent-memory.ts';
import type { StateFile } from './state-file.ts';

export interface Revoked {
  sessions: number;
  grants: number;
  consents: number;
}

export function accountAdmin(state: StateFile, consents: ConsentMemory, clientIds: string[]) {
  const adapter = (model: string): Adapter => state.adapter(model);

  async function revokeGrants(accountId: string, clientId?: string): Promise<number> {
    const grants = state
      .list('Grant')
      .filter(([, grant]) => grant.accountId === accountId)
      .filter(([, grant]) => clientId === undefined || grant.clientId === clientId);
    for (const [grantId] of grants) {
      await adapter('RefreshToken').revokeByGrantId(grantId); // all grant members, any model
      await adapter('Grant').destroy(grantId);
    }
    return grants.length;
  }

  return {
    /** Signs the user out everywhere and revokes every grant (refresh tokens die with them). */
    async revokeUser(accountId: string): Promise<Revoked> {
      const sessions = state.list('Session').filter(([, s]) => s.accountId === accountId);
      for (const [id] of sessions) await adapter('Session').destroy(id);
      return { sessions: sessions.length, grants: await revokeGrants(accountId), consents: 0 };
    },

    /** Forgets consent (the next sign-in asks again) and revokes the grants it backed. */
    async revokeConsent(accountId: string, clientId?: string): Promise<Revoked> {
      let forgotten = 0;
      for (const id of clientId === undefined ? clientIds : [clientId]) {
        if (await consents.forget(accountId, id)) forgotten += 1;
      }
      return { sessions: 0, grants: await revokeGrants(accountId, clientId), consents: forgotten };
    },
  };
}

export type AccountAdmin = ReturnType<typeof accountAdmin>;
