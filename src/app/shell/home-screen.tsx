import { useEffect } from 'react';
import { HomeRoute } from '../../routes/home-route.tsx';
import { prefetchSignInScreens } from './lazy-routes.ts';
import { useAuthLayer, useShell } from './shell-context.ts';

/** The home page with what the shell knows: it paints before the auth layer has arrived. */
export function HomeScreen() {
  const { config, authLayer, hints } = useShell();
  const { auth, failure } = useAuthLayer();
  const signedOut = auth !== null && !auth.isLoading && !auth.user;
  useEffect(() => {
    if (signedOut) prefetchSignInScreens();
  }, [signedOut]);
  return (
    <HomeRoute
      providers={config.providers}
      user={auth?.user?.profile ?? null}
      layerFailure={failure}
      lastUsedProviderId={hints.lastUsedProviderId}
      takeLocalSignOutNotice={hints.takeLocalSignOutNotice}
      signIn={(providerId) =>
        authLayer.loaded.then((layer) => layer.signInWith(providerId, '/contacts'))
      }
    />
  );
}
