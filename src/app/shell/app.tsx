import { useSyncExternalStore } from 'react';
import { RouterProvider } from 'react-router/dom';
import type { createAppRouter } from './router.tsx';
import { type Shell, ShellContext } from './shell-context.ts';

/**
 * The router renders at once; the auth and session layer joins when its chunk has loaded
 * (its bridge runs react-oidc-context's provider beside the router and reports the value).
 * Until then only the shell's own pages render: routes that need a session wait for the
 * layer, which wraps their components in its contexts (AuthLayer.withAuth). The tree's
 * shape never changes, so nothing remounts when the layer arrives.
 */
export function App({
  shell,
  router,
}: {
  shell: Shell;
  router: ReturnType<typeof createAppRouter>;
}) {
  const { layer } = useSyncExternalStore(shell.authLayer.subscribe, shell.authLayer.snapshot);
  return (
    <ShellContext.Provider value={shell}>
      {layer ? layer.bridge(shell.authLayer.publishAuth) : null}
      <RouterProvider router={router} />
    </ShellContext.Provider>
  );
}
