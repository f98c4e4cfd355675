import { isRouteErrorResponse, Link, useRevalidator, useRouteError } from 'react-router';
import { SessionEndedError } from '../../auth/credential/session-ended-error.ts';
import { IdTokenError } from '../../auth/id-token/id-token-error.ts';
import { RedirectLoopError } from '../../auth/sign-in/redirect-breaker.ts';
import { currentPath } from '../../auth/sign-in/return-to.ts';
import { startSignIn } from '../../auth/sign-in/sign-in.ts';
import { ContactsApiError } from '../../contacts/contacts-api-error.ts';
import { DOWNLOAD_FAILURE_MESSAGE, isDownloadFailure } from '../../lib/download-failure.ts';
import { useShell } from '../shell/shell-context.ts';

/** The one place route failures become words and a way forward; never a blank page. */
export function RouteError() {
  const error = useRouteError();
  const { authLayer } = useShell();
  const revalidator = useRevalidator();
  // This page can show before the auth layer has loaded (a 404 opened directly).
  const signInAgain = () =>
    void authLayer.ready.then(({ services: { auth } }) =>
      startSignIn(auth.userManager, currentPath(window.location)),
    );

  if (isRouteErrorResponse(error) && error.status === 404) {
    return <Problem title="Page not found" message="There is nothing at this address." />;
  }
  if (error instanceof RedirectLoopError || error instanceof IdTokenError) {
    const detail = error instanceof IdTokenError ? `${error.rule}: ${error.message}` : error.code;
    const message =
      error instanceof IdTokenError
        ? 'The identity provider could not be trusted, so sign-in did not start.'
        : error.message;
    return (
      <Problem title="Sign-in did not complete" message={message} detail={detail}>
        <button type="button" className="primary" onClick={signInAgain}>
          Try signing in again
        </button>
      </Problem>
    );
  }
  if (
    error instanceof SessionEndedError ||
    (error instanceof ContactsApiError &&
      (error.code === 'invalid_token' || error.code === 'unauthenticated'))
  ) {
    return (
      <Problem title="Your session has ended" message={error.message}>
        <button type="button" className="primary" onClick={signInAgain}>
          Sign in again
        </button>
      </Problem>
    );
  }
  if (error instanceof ContactsApiError && error.code === 'not_found') {
    return (
      <Problem title="Contact not found" message="It may have been deleted, here or elsewhere.">
        <Link to="/contacts">Back to your contacts</Link>
      </Problem>
    );
  }
  if (error instanceof ContactsApiError) {
    return (
      <Problem
        title="Your contacts could not be loaded"
        message={error.message}
        detail={error.code}
      >
        <button type="button" className="primary" onClick={() => void revalidator.revalidate()}>
          Try again
        </button>
      </Problem>
    );
  }
  if (isDownloadFailure(error)) {
    return (
      <Problem title="This page could not be downloaded" message={DOWNLOAD_FAILURE_MESSAGE}>
        <button type="button" className="primary" onClick={() => window.location.reload()}>
          Reload
        </button>
      </Problem>
    );
  }
  return (
    <Problem
      title="Something went wrong"
      message="The page could not be shown. Try again, or go back to the home page."
      detail={error instanceof Error ? error.name : undefined}
    >
      <button type="button" className="primary" onClick={() => window.location.reload()}>
        Try again
      </button>
    </Problem>
  );
}

function Problem(props: {
  title: string;
  message: string;
  detail?: string | undefined;
  children?: React.ReactNode;
}) {
  return (
    <section role="alert" aria-labelledby="problem-title">
      <h1 id="problem-title">{props.title}</h1>
      <p>{props.message}</p>
      {props.detail ? (
        <p className="technical">
          Technical detail: <code>{props.detail}</code>
        </p>
      ) : null}
      <div className="actions">
        {props.children}
        <Link to="/">Back to the home page</Link>
      </div>
    </section>
  );
}
