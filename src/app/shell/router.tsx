import type { ComponentType } from 'react';
import { createBrowserRouter, type LazyRouteFunction, type RouteObject } from 'react-router';
import { ListSkeleton } from '../../ui/list-skeleton.tsx';
import type { AuthLayer } from '../auth-layer/auth-layer.tsx';
import { HomeScreen } from './home-screen.tsx';
import { RouteError } from './lazy-route-error.tsx';
import {
  loadAccountRoute,
  loadCallbackRoute,
  loadContactDetailRoute,
  loadContactEditRoute,
  loadContactNewRoute,
  loadContactsRoute,
  loadContactsTransferRoute,
} from './lazy-routes.ts';
import { RootLayout } from './root-layout.tsx';
import type { Shell } from './shell-context.ts';

function LoadingScreen() {
  return (
    <p role="status" className="pending">
      Loading…
    </p>
  );
}

/** `Component` with `props` bound: for a route whose component takes what the table knows. */
function withProps<P extends object>(Component: ComponentType<P>, props: P): ComponentType {
  const WithProps = () => <Component {...props} />;
  return WithProps;
}

type LazyRoute = Awaited<ReturnType<LazyRouteFunction<RouteObject>>>;
type RouteParts = Omit<LazyRoute, 'Component'> & { Component?: ComponentType };

/**
 * The one route table. Everything past sign-in loads lazily (lazy-routes.ts). A protected
 * route waits for its module and for the auth and session layer (which knows the session),
 * and its component renders inside the layer's contexts.
 */
export function createAppRouter(shell: Shell) {
  const protectedRoute =
    <M,>(load: () => Promise<M>, parts: (module: M, layer: AuthLayer) => RouteParts) =>
    async (): Promise<LazyRoute> => {
      const [module, layer] = await Promise.all([load(), shell.authLayer.ready]);
      const { Component, ...rest } = parts(module, layer);
      return Component ? { ...rest, Component: layer.protect(Component) } : rest;
    };
  const contactsServices = ({ services }: AuthLayer) => ({
    api: services.contacts,
    slowDown: services.slowDown,
    session: services.session,
    writeScope: services.auth.active.contactsScopes.write,
    refreshSeconds: services.config.options.contactsRefreshSeconds,
  });

  return createBrowserRouter([
    {
      element: <RootLayout />,
      errorElement: <RouteError />,
      HydrateFallback: LoadingScreen,
      children: [
        {
          errorElement: <RouteError />,
          children: [
            { path: '/', element: <HomeScreen /> },
            {
              path: '/callback',
              lazy: protectedRoute(loadCallbackRoute, (m, layer) => ({
                Component: withProps(m.CallbackRoute, {
                  pending: layer.services.callback,
                  signIn: layer.signIn,
                }),
              })),
            },
            {
              path: '/account',
              lazy: protectedRoute(loadAccountRoute, (m, { services }) => ({
                loader: m.accountLoader({
                  session: services.session,
                  providerLabel: services.auth.active.label,
                  contactsScopes: services.auth.active.contactsScopes,
                  clock: services.clock,
                  clockToleranceSeconds: services.config.options.clockToleranceSeconds,
                }),
                Component: m.AccountRoute,
              })),
            },
            {
              id: 'contacts',
              path: '/contacts',
              HydrateFallback: ListSkeleton, // opened directly: rows' shape while it loads
              lazy: protectedRoute(loadContactsRoute, (m, services) => ({
                loader: m.contactsLoader(contactsServices(services)),
                shouldRevalidate: m.shouldRevalidateContacts,
                Component: m.ContactsRoute,
              })),
              children: [
                {
                  errorElement: <RouteError />,
                  children: [
                    { index: true, element: <p className="hint">Choose a contact to see it.</p> },
                    {
                      path: 'new',
                      lazy: protectedRoute(loadContactNewRoute, (m, services) => ({
                        action: m.newContactAction(contactsServices(services)),
                        Component: m.ContactNewRoute,
                      })),
                    },
                    {
                      path: 'transfer',
                      lazy: protectedRoute(loadContactsTransferRoute, (m, { services }) => ({
                        Component: withProps(m.ContactsTransferRoute, { api: services.contacts }),
                      })),
                    },
                    {
                      path: ':contactId',
                      lazy: protectedRoute(loadContactDetailRoute, (m, services) => ({
                        loader: m.contactLoader(contactsServices(services)),
                        Component: m.ContactDetailRoute,
                      })),
                    },
                    {
                      path: ':contactId/delete',
                      lazy: protectedRoute(loadContactDetailRoute, (m, services) => ({
                        action: m.deleteContactAction(contactsServices(services)),
                      })),
                    },
                    {
                      path: ':contactId/edit',
                      lazy: protectedRoute(loadContactEditRoute, (m, services) => ({
                        loader: m.editContactLoader(contactsServices(services)),
                        action: m.editContactAction(contactsServices(services)),
                        Component: m.ContactEditRoute,
                      })),
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
