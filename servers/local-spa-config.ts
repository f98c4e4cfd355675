import type { LocalEnv } from './local-env.ts';

/** One provider of the SPA's runtime config (src/config/app-config.ts checks all of it). */
interface ProviderConfig {
  id: string;
  label: string;
  issuer: string;
  clientId: string;
  audienceParameter: string;
  dpop: boolean;
  scopes: string[];
  /** The provider's names for the contacts permissions; default contacts:read / contacts:write. */
  contactsScopes?: { read: string; write: string };
}

/** The SPA's runtime config for the local IdP and API; public/config.json is this at default ports. */
export function localSpaConfig(env: Pick<LocalEnv, 'idpIssuer' | 'apiUrl'>): {
  providers: ProviderConfig[];
  api: { baseUrl: string; resource: string };
} {
  return {
    providers: [
      {
        id: 'local',
        label: 'Local test IdP',
        issuer: env.idpIssuer,
        clientId: 'contacts-spa',
        audienceParameter: 'resource',
        dpop: true,
        scopes: ['openid', 'profile', 'email', 'contacts:read'],
      },
    ],
    api: { baseUrl: env.apiUrl, resource: env.apiUrl },
  };
}
