// Consent remembered per account + client, across browser sessions and sign-outs, as real
// providers do. oidc-provider's default keeps consent in the grant of one browser session,
// and a sign-out revokes that grant (so its refresh tokens die, RFC 9700 §4.14.2). Here the
// decision itself (scopes allowed and refused) is kept apart, in the state file, and a new
// session gets a fresh grant built from it: no consent page unless something new is asked.
import type { Adapter, Configuration, Grant, KoaContextWithOIDC } from 'oidc-provider';

const MODEL = 'RememberedConsent';

/** The parts of a Grant that record what the user decided. */
interface Decision {
  accountId: string;
  clientId: string;
  openid?: unknown;
  resources?: unknown;
  rejected?: unknown;
}

export interface ConsentMemory {
  /** Records the decision held by a just-saved grant. */
  remember(grant: Grant): Promise<void>;
  /** Forgets the decision, so the next sign-in asks again. */
  forget(accountId: string, clientId: string): Promise<boolean>;
  loadExistingGrant: NonNullable<Configuration['loadExistingGrant']>;
}

export function consentMemory(adapter: (model: string) => Adapter): ConsentMemory {
  const store = adapter(MODEL);
  const key = (accountId: string, clientId: string) =>
    `${encodeURIComponent(accountId)}|${encodeURIComponent(clientId)}`;

  return {
    async remember(grant) {
      const { accountId, clientId, openid, resources, rejected } = grant;
      const decision: Decision = structuredClone({
        accountId,
        clientId,
        openid,
        resources,
        rejected,
      });
      await store.upsert(key(accountId, clientId), { ...decision });
    },

    async forget(accountId, clientId) {
      const id = key(accountId, clientId);
      const existed = (await store.find(id)) !== undefined;
      await store.destroy(id);
      return existed;
    },

    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { oidc } = ctx;
      const clientId = oidc.client?.clientId;
      const accountId = oidc.account?.accountId;
      if (!clientId || !accountId) return undefined;
      // oidc-provider's default first: the grant of this consent or of this session.
      const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(clientId);
      const current = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
      if (current) return current;

      const decision = (await store.find(key(accountId, clientId))) as Decision | undefined;
      if (!decision) return undefined;
      const grant = new oidc.provider.Grant({ ...structuredClone(decision), accountId, clientId });
      await grant.save();
      return grant;
    },
  };
}
