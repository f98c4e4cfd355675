import { createBrowserRouter } from 'react-router';
import type { AppServices } from './routes/app-services.tsx';
import { HomeRoute } from './routes/home-route.tsx';
import { RouteError } from './routes/lazy-route-error.tsx';
import { loadAccount, loadCallbackRoute, loadContactsScreens } from './routes/lazy-routes.ts';
import { RootLayout } from './routes/root-layout.tsx';
import { ListSkeleton } from './ui/list-skeleton.tsx';

function LoadingScreen() {
  return (
    <p role="status" className="pending">
      Loading…
    </p>
  );
}

/** The one route table. Everything past sign-in loads lazily (lazy-routes.ts). */
export function createAppRouter(services: Pick<AppServices, 'config' | 'auth'>) {
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
              lazy: async () => ({ Component: (await loadCallbackRoute()).CallbackRoute }),
            },
            {
              path: '/account',
              lazy: async () => {
                const m = await loadAccount();
                return { loader: m.accountLoader(services.auth), Component: m.AccountRoute };
              },
            },
            {
              id: 'contacts',
              path: '/contacts',
              HydrateFallback: ListSkeleton, // opened directly: rows' shape while it loads
              lazy: async () => {
                const m = await loadContactsScreens();
                return {
                  loader: m.contactsLoader(services),
                  shouldRevalidate: m.shouldRevalidateContacts,
                  Component: m.ContactsRoute,
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
                        const m = await loadContactsScreens();
                        return {
                          action: m.newContactAction(services),
                          Component: m.ContactNewRoute,
                        };
                      },
                    },
                    {
                      path: ':contactId',
                      lazy: async () => {
                        const m = await loadContactsScreens();
                        return {
                          loader: m.contactLoader(services),
                          Component: m.ContactDetailRoute,
                        };
                      },
                    },
                    {
                      path: ':contactId/delete',
                      lazy: async () => {
                        const m = await loadContactsScreens();
                        return { action: m.deleteContactAction(services) };
                      },
                    },
                    {
                      path: ':contactId/edit',
                      lazy: async () => {
                        const m = await loadContactsScreens();
                        return {
                          loader: m.editContactLoader(services),
                          action: m.editContactAction(services),
                          Component: m.ContactEditRoute,
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
