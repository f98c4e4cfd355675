// Pages that oidc-provider renders itself (errors, logout), drawn with our views instead
// of its defaults, which load web fonts and send no security headers.
import type { Configuration } from 'oidc-provider';
import { findUser } from './accounts.ts';
import { errorPage, logoutPage, sendPage, signedOutPage } from './views.ts';

type Features = NonNullable<Configuration['features']>;

export function providerPages(spaOrigin: string) {
  const renderError: Configuration['renderError'] = (ctx, out) => {
    // out holds only error, error_description (and state/iss): never the stack.
    sendPage(
      ctx,
      ctx.status,
      errorPage({ error: out.error, description: out.error_description }),
      spaOrigin,
    );
  };

  const rpInitiatedLogout: Features['rpInitiatedLogout'] = {
    enabled: true,
    logoutSource(ctx, form) {
      const userName = findUser(ctx.oidc.session?.accountId)?.name;
      sendPage(ctx, 200, logoutPage({ form, userName }), spaOrigin);
    },
    postLogoutSuccessSource(ctx) {
      sendPage(ctx, 200, signedOutPage(), spaOrigin);
    },
  };

  return { renderError, rpInitiatedLogout };
}
