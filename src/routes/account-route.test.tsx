import { render, screen } from '@testing-library/react';
import { User } from 'oidc-client-ts';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { Session } from '../session/create-session.ts';
import { AccountRoute, accountLoader } from './account-route.tsx';

const NOW_SECONDS = 1_800_000_000;
const Loading = () => null;

/** The account page for a signed-in user whose ID token said `auth_time`. */
async function renderAccount(authTime: unknown) {
  const user = new User({
    access_token: 'access-token-never-shown',
    token_type: 'DPoP',
    scope: 'openid contacts:read',
    expires_at: Math.floor(Date.now() / 1000) + 300,
    profile: {
      iss: 'https://login.example.test',
      sub: 'subject-1',
      aud: 'contacts-spa',
      exp: NOW_SECONDS + 300,
      iat: NOW_SECONDS,
      auth_time: authTime as number,
    },
  });
  const session = {
    manager: { getUser: async () => user },
    keeper: { credential: async () => 'credential' },
  } as unknown as Session;
  const router = createMemoryRouter([
    {
      path: '/',
      loader: accountLoader({
        session,
        providerLabel: 'Example IdP',
        contactsScopes: { read: 'contacts:read', write: 'contacts:write' },
        clock: { now: () => NOW_SECONDS * 1000 },
        clockToleranceSeconds: 120,
      }),
      Component: AccountRoute,
      HydrateFallback: Loading,
    },
  ]);
  render(<RouterProvider router={router} />);
  const term = await screen.findByText('Signed in at');
  return term.nextElementSibling?.textContent;
}

describe('the account page: when you signed in', () => {
  it('shows a true auth_time as a time', async () => {
    const shown = await renderAccount(NOW_SECONDS - 3600);
    expect(shown).toBe(new Date((NOW_SECONDS - 3600) * 1000).toLocaleString());
  });

  it.each([
    ['0 (as Glewlwyd sends it)', 0],
    ['beyond the tolerance in the future', NOW_SECONDS + 121],
    ['negative', -1],
    ['absent', undefined],
  ])('shows an auth_time that cannot be true as "not given": %s', async (_case, authTime) => {
    expect(await renderAccount(authTime)).toBe('not given');
  });
});
