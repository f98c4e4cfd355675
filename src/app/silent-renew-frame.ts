/**
 * Inside the hidden prompt=none iframe, back on /callback: hands the response to the tab
 * that opened it and starts no app (which would join the tabs' session network and fetch
 * data). True when this page is that iframe.
 */
export function answerInSilentRenewFrame(): boolean {
  if (window.self === window.top || window.location.pathname !== '/callback') return false;
  const origin = window.location.origin;
  void import('oidc-client-ts')
    .then(({ UserManager }) =>
      new UserManager({
        authority: origin,
        client_id: 'silent',
        redirect_uri: origin,
      }).signinSilentCallback(),
    )
    .catch(() => {});
  return true;
}
