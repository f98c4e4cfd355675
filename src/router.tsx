import { createBrowserRouter } from 'react-router';
import { AccountRoute, accountLoader } from './routes/account-route.tsx';
import type { AppServices } from './routes/app-services.tsx';
import { CallbackRoute } from './routes/callback-route.tsx';
import { ContactsRoute, contactsLoader } from './routes/contacts-route.tsx';
import { HomeRoute } from './routes/home-route.tsx';
import { RootLayout } from './routes/root-layout.tsx';
import { RouteError } from './routes/route-error.tsx';

function LoadingScreen() {
  return (
    <p role="status" className="pending">
      Loading…
    </p>
  );
}

/** The one route table. */
export function createAppRouter({ config, auth }: Pick<AppServices, 'config' | 'auth'>) {
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
            { path: '/callback', element: <CallbackRoute /> },
            { path: '/account', loader: accountLoader(auth), element: <AccountRoute /> },
            { path: '/contacts', loader: contactsLoader(config, auth), element: <ContactsRoute /> },
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
