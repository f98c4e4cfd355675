// What the app may do with the contacts, in words, and the way to more when there is one:
// "Allow editing" asks the provider for contacts:write (incremental consent) and comes
// back to `returnTo` (the contact's edit form when asked from a contact).
import { useState } from 'react';
import { useLocation } from 'react-router';
import type { Viewer } from './viewer.ts';

const messages = {
  available: 'You can read your contacts. Editing needs your permission.',
  declined: 'Editing stays off: permission to edit was not given, so your contacts are read-only.',
  interrupted:
    'Asking for permission to edit did not finish, so your contacts are still read-only.',
  not_entitled:
    'Your account may only read contacts: your identity provider does not allow it to edit them.',
} as const;

export function WriteAccessNotice({
  viewer,
  returnTo,
}: {
  viewer: Viewer | undefined;
  returnTo?: string;
}) {
  const location = useLocation();
  const [problem, setProblem] = useState<string | null>(null);
  const access = viewer?.writeAccess;
  if (!viewer || !access || access === 'granted') return null;

  const ask = () => {
    setProblem(null);
    const back = returnTo ?? `${location.pathname}${location.search}`;
    viewer
      .askForWriteAccess(back)
      .catch(() =>
        setProblem('The identity provider could not be reached. Try again in a moment.'),
      );
  };
  return (
    <div className="notice read-only">
      <p>{messages[access]}</p>
      {access === 'not_entitled' ? null : (
        <button type="button" onClick={ask}>
          {access === 'declined'
            ? 'Ask again to allow editing'
            : access === 'interrupted'
              ? 'Try again'
              : 'Allow editing'}
        </button>
      )}
      {problem ? <p role="alert">{problem}</p> : null}
    </div>
  );
}
