import { createBrowserRouter } from 'react-router';
import { HomeRoute } from '../../routes/home-route.tsx';
import { ListSkeleton } from '../../ui/list-skeleton.tsx';
import { RouteError } from './lazy-route-error.tsx';
import { loadAccount, loadCallbackRoute, loadContactsScreens } from './lazy-routes.ts';
import { RootLayout } from './root-layout.tsx';
import type { Shell } from './shell-context.ts';

function LoadingScreen() {
  return (
    <p role="status" className="pending">
      Loading…
    </p>
  );
}

/**
 * The one route table. Everything past sign-in loads lazily (lazy-routes.ts), and every
 * route that needs the auth and session layer waits for it (with its own code download).
 */
export function createAppRouter(shell: Shell) {
  const withServices = <T,>(load: () => Promise<T>) => Promise.all([load(), shell.authLayer.ready]);
  return createBrowserRouter([
    {
      element: <RootLayout />,
      errorElement: <RouteError />,
      HydrateFallback: LoadingScreen,
      children: [
        {
          errorElement: <RouteError />,
          children: [
            { path: '/', element: <HomeRoute /> },
            {
              path: '/callback',
              lazy: async () => {
                const [m, layer] = await withServices(loadCallbackRoute);
                return { Component: layer.withAuth(m.CallbackRoute) };
              },
            },
            {
              path: '/account',
              lazy: async () => {
                const [m, { services, withAuth }] = await withServices(loadAccount);
                return {
                  loader: m.accountLoader(services.session),
                  Component: withAuth(m.AccountRoute),
                };
              },
            },
            {
              id: 'contacts',
              path: '/contacts',
              HydrateFallback: ListSkeleton, // opened directly: rows' shape while it loads
              lazy: async () => {
                const [m, { services, withAuth }] = await withServices(loadContactsScreens);
                return {
                  loader: m.contactsLoader(services),
                  shouldRevalidate: m.shouldRevalidateContacts,
                  Component: withAuth(m.ContactsRoute),
                };
              },
              children: [
                {
                  errorElement: <RouteError />,
                  children: [
                    { index: true, element: <p className="hint">Choose a contact to see it.</p> },
                    {
                      path: 'new',
                      lazy: async () => {
                        const [m, { services, withAuth }] = await withServices(loadContactsScreens);
                        return {
                          action: m.newContactAction(services),
                          Component: withAuth(m.ContactNewRoute),
                        };
                      },
                    },
                    {
                      path: ':contactId',
                      lazy: async () => {
                        const [m, { services, withAuth }] = await withServices(loadContactsScreens);
                        return {
                          loader: m.contactLoader(services),
                          Component: withAuth(m.ContactDetailRoute),
                        };
                      },
                    },
                    {
                      path: ':contactId/delete',
                      lazy: async () => {
                        const [m, { services }] = await withServices(loadContactsScreens);
                        return { action: m.deleteContactAction(services) };
                      },
                    },
                    {
                      path: ':contactId/edit',
                      lazy: async () => {
                        const [m, { services, withAuth }] = await withServices(loadContactsScreens);
                        return {
                          loader: m.editContactLoader(services),
                          action: m.editContactAction(services),
                          Component: withAuth(m.ContactEditRoute),
                        };
                      },
                    },
                  ],
                },
              ],
            },
            {
              path: '*',
              loader: () => {
                throw new Response('Not found', { status: 404 });
              },
            },
          ],
        },
      ],
    },
  ]);
}
