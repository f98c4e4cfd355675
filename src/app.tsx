import { AuthProvider } from 'react-oidc-context';
import { RouterProvider } from 'react-router/dom';
import type { createAppRouter } from './router.tsx';
import { type AppServices, AppServicesContext } from './routes/app-services.tsx';
import { SessionContext } from './session/use-session.ts';

export function App({
  services,
  router,
}: {
  services: AppServices;
  router: ReturnType<typeof createAppRouter>;
}) {
  return (
    <AppServicesContext.Provider value={services}>
      <SessionContext.Provider value={services.session}>
        {/* The callback route runs the code exchange itself, so validation can come first. */}
        <AuthProvider userManager={services.auth.userManager} skipSigninCallback>
          <RouterProvider router={router} />
        </AuthProvider>
      </SessionContext.Provider>
    </AppServicesContext.Provider>
  );
}
