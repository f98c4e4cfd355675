import { lazy, Suspense } from 'react';
import { loadRouteError } from './lazy-routes.ts';

const Explained = lazy(async () => ({ default: (await loadRouteError()).RouteError }));

/** The error screen's code loads only when something fails (route-error.tsx). */
export function RouteError() {
  return (
    <Suspense
      fallback={
        <p role="alert" className="pending">
          Something went wrong…
        </p>
      }
    >
      <Explained />
    </Suspense>
  );
}
