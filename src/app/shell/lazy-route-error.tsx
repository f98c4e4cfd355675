import { lazy, Suspense } from 'react';
import { loadRouteError } from './lazy-routes.ts';
import { useShell } from './shell-context.ts';

const Explained = lazy(async () => ({ default: (await loadRouteError()).RouteError }));

/** The error screen's code loads only when something fails (route-error.tsx). */
export function RouteError() {
  const { authLayer } = useShell();
  // This page can show before the auth layer has loaded (a 404 opened directly).
  const signInAgain = () => void authLayer.ready.then((layer) => layer.signInAgain());
  return (
    <Suspense
      fallback={
        <p role="alert" className="pending">
          Something went wrong…
        </p>
      }
    >
      <Explained signInAgain={signInAgain} />
    </Suspense>
  );
}
