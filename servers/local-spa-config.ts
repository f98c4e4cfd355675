import type { LocalEnv } from './local-env.ts';

/** The SPA's runtime config for the local IdP and API; public/config.json is this at default ports. */
export function localSpaConfig(env: Pick<LocalEnv, 'idpIssuer' | 'apiUrl'>) {
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
