import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { SessionEndedError } from '../../auth/credential/session-ended-error.ts';
import { IdTokenError } from '../../auth/id-token/id-token-error.ts';
import { RedirectLoopError } from '../../auth/sign-in/redirect-breaker.ts';
import { ContactsApiError } from '../../contacts/contacts-api-error.ts';
import { RouteError } from './route-error.tsx';

/** The error screen for a route whose loader threw `error`. */
function renderFailure(error: unknown, signInAgain = vi.fn()) {
  const router = createMemoryRouter([
    {
      path: '/',
      loader: () => {
        throw error;
      },
      element: <p>never</p>,
      errorElement: <RouteError signInAgain={signInAgain} />,
    },
  ]);
  render(<RouterProvider router={router} />);
  return signInAgain;
}

// The screen tells the app's errors apart by the name each class sets, not by instanceof
// (it loads without their code): these are the real classes, so a renamed one shows here.
describe('RouteError', () => {
  it.each([
    [new IdTokenError('aud', 'wrong audience'), 'Sign-in did not complete', 'aud: wrong audience'],
    [new RedirectLoopError(), 'Sign-in did not complete', 'too_many_attempts'],
    [new SessionEndedError(), 'Your session has ended', null],
    [new ContactsApiError('invalid_token', 'not accepted', 401), 'Your session has ended', null],
    [new ContactsApiError('not_found', 'gone', 404), 'Contact not found', null],
    [new ContactsApiError('server', 'trouble', 503), 'Your contacts could not be loaded', 'server'],
    [new TypeError('boom'), 'Something went wrong', 'TypeError'],
  ])('%s → %s', async (error, title, detail) => {
    renderFailure(error);
    expect(await screen.findByRole('heading', { name: title })).toBeInTheDocument();
    if (detail) expect(screen.getByText(detail)).toBeInTheDocument();
    else expect(screen.queryByText(/Technical detail/)).toBeNull();
  });

  it('offers to sign in again when the session has ended', async () => {
    const signInAgain = renderFailure(new SessionEndedError());
    await userEvent.click(await screen.findByRole('button', { name: 'Sign in again' }));
    expect(signInAgain).toHaveBeenCalledOnce();
  });
});
