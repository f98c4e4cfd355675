import { isRouteErrorResponse, Link, useRevalidator, useRouteError } from 'react-router';
import { DOWNLOAD_FAILURE_MESSAGE, isDownloadFailure } from '../../lib/download-failure.ts';

/**
 * An error of the class named `name` (each of the app's error classes sets it), with the
 * fields that class carries. The error screen recognises errors this way, not with
 * `instanceof`, so it needs none of the code that throws them: it must show when that code
 * could not be downloaded.
 */
function named<T extends object>(error: unknown, name: string): (Error & T) | null {
  return error instanceof Error && error.name === name ? (error as Error & T) : null;
}

/** The one place route failures become words and a way forward; never a blank page. */
export function RouteError({ signInAgain }: { signInAgain: () => void }) {
  const error = useRouteError();
  const revalidator = useRevalidator();
  const idTokenError = named<{ rule: string }>(error, 'IdTokenError');
  const redirectLoop = named<{ code: string }>(error, 'RedirectLoopError');
  const sessionEnded = named(error, 'SessionEndedError');
  const apiError = named<{ code: string }>(error, 'ContactsApiError');

  if (isRouteErrorResponse(error) && error.status === 404) {
    return <Problem title="Page not found" message="There is nothing at this address." />;
  }
  if (redirectLoop || idTokenError) {
    const detail = idTokenError
      ? `${idTokenError.rule}: ${idTokenError.message}`
      : (redirectLoop?.code ?? '');
    const message = idTokenError
      ? 'The identity provider could not be trusted, so sign-in did not start.'
      : (redirectLoop?.message ?? '');
    return (
      <Problem title="Sign-in did not complete" message={message} detail={detail}>
        <button type="button" className="primary" onClick={signInAgain}>
          Try signing in again
        </button>
      </Problem>
    );
  }
  const sessionGone =
    sessionEnded ??
    (apiError?.code === 'invalid_token' || apiError?.code === 'unauthenticated' ? apiError : null);
  if (sessionGone) {
    return (
      <Problem title="Your session has ended" message={sessionGone.message}>
        <button type="button" className="primary" onClick={signInAgain}>
          Sign in again
        </button>
      </Problem>
    );
  }
  if (apiError?.code === 'not_found') {
    return (
      <Problem title="Contact not found" message="It may have been deleted, here or elsewhere.">
        <Link to="/contacts">Back to your contacts</Link>
      </Problem>
    );
  }
  if (apiError) {
    return (
      <Problem
        title="Your contacts could not be loaded"
        message={apiError.message}
        detail={apiError.code}
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
