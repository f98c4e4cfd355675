// The list shows a change while it is on its way, and goes back to the server's truth when
// the server refuses it: the fetcher settles with `{ error }` and the change is dropped.
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { createMemoryRouter, RouterProvider, useFetcher } from 'react-router';
import { describe, expect, it } from 'vitest';
import { makeContact } from '../test/contact-fixture.ts';
import {
  type ContactChange,
  noteCreateStored,
  submitChange,
  useOptimisticContacts,
} from './optimistic-contacts.ts';

const Loading = () => null;
const ada = makeContact('1', 'Ada Lovelace');
const grace = makeContact('2', 'Grace Hopper');
const saved = [ada, grace];

function List({ change }: { change: ContactChange }) {
  const fetcher = useFetcher();
  const { contacts, pendingIds } = useOptimisticContacts(saved);
  return (
    <>
      <button type="button" onClick={() => submitChange(fetcher, change, '/write')}>
        Send
      </button>
      <ul aria-label="Contacts">
        {contacts.map((c) => (
          <li key={c.id} data-pending={pendingIds.has(c.id) || undefined}>
            {c.name}
          </li>
        ))}
      </ul>
    </>
  );
}

/**
 * Renders the list; the action's answer waits until `answer` is called, and the reload of the
 * list that follows an action (revalidation) never ends: what the list shows after a
 * refusal is the rollback, not the server's new list.
 */
async function renderList(change: ContactChange) {
  let answer: (data: unknown) => void = () => {};
  let loads = 0;
  const router = createMemoryRouter([
    {
      path: '/',
      HydrateFallback: Loading,
      loader: () => (loads++ === 0 ? null : new Promise(() => {})),
      element: <List change={change} />,
    },
    {
      path: '/write',
      action: () => new Promise((resolve) => (answer = resolve)),
    },
  ]);
  render(<RouterProvider router={router} />);
  await screen.findByRole('button', { name: 'Send' });
  const names = () =>
    within(screen.getByRole('list', { name: 'Contacts' }))
      .getAllByRole('listitem')
      .map((item) => item.textContent);
  return { names, answer: (data: unknown) => act(async () => answer(data)) };
}

const refusal = { error: { code: 'server', message: 'The contacts service had a problem.' } };

describe('optimistic contacts', () => {
  it.each<[string, ContactChange, string[]]>([
    [
      'a create',
      { intent: 'create', tempId: 'temp-1', input: { name: 'Barbara Liskov' } },
      ['Ada Lovelace', 'Barbara Liskov', 'Grace Hopper'],
    ],
    [
      'an edit',
      { intent: 'update', id: '2', version: 1, input: { name: 'Admiral Grace Hopper' } },
      ['Ada Lovelace', 'Admiral Grace Hopper'],
    ],
    ['a delete', { intent: 'delete', id: '1', version: 1 }, ['Grace Hopper']],
  ])(
    'shows %s at once, and rolls it back when the server refuses',
    async (_kind, change, shown) => {
      const list = await renderList(change);
      expect(list.names()).toEqual(['Ada Lovelace', 'Grace Hopper']);
      await userEvent.click(screen.getByRole('button', { name: 'Send' }));
      await waitFor(() => expect(list.names()).toEqual(shown));

      await list.answer(refusal);
      await waitFor(() => expect(list.names()).toEqual(['Ada Lovelace', 'Grace Hopper']));
    },
  );

  it('keeps showing an accepted change while the list reloads', async () => {
    const list = await renderList({
      intent: 'create',
      tempId: 'temp-1',
      input: { name: 'Barbara Liskov' },
    });
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    await list.answer({ contact: makeContact('3', 'Barbara Liskov') });
    expect(list.names()).toEqual(['Ada Lovelace', 'Barbara Liskov', 'Grace Hopper']);
  });

  it('marks the change as pending while it is on its way', async () => {
    await renderList({ intent: 'create', tempId: 'temp-1', input: { name: 'Barbara Liskov' } });
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect((await screen.findByText('Barbara Liskov')).dataset.pending).toBe('true');
    expect(screen.getByText('Ada Lovelace').dataset.pending).toBeUndefined();
  });

  it('lists a stored create once while the navigation after it runs', async () => {
    const change: ContactChange = {
      intent: 'create',
      tempId: 'temp-2',
      input: { name: 'Barbara Liskov' },
    };
    const stored = { show: () => {}, done: false };
    const router = createMemoryRouter([
      {
        path: '/',
        HydrateFallback: Loading,
        element: <CachedList change={change} onShowStored={(show) => (stored.show = show)} />,
      },
      {
        path: '/write',
        // As the new-contact action does: note the create, cache the stored contact, then
        // answer; the list's reload after the action never ends, so the fetcher stays busy.
        action: () => {
          noteCreateStored('temp-2');
          act(() => stored.show());
          stored.done = true;
          return new Promise(() => {});
        },
      },
    ]);
    render(<RouterProvider router={router} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Send' }));
    const names = () =>
      within(screen.getByRole('list', { name: 'Contacts' }))
        .getAllByRole('listitem')
        .map((item) => item.textContent);
    await waitFor(() => expect(stored.done).toBe(true));
    await waitFor(() => expect(screen.getByText('Barbara Liskov')).toBeInTheDocument());
    expect(names()).toEqual(['Ada Lovelace', 'Barbara Liskov', 'Grace Hopper']);
  });
});

/** A list whose cached contacts the test replaces, as the loader cache does after a create. */
function CachedList({
  change,
  onShowStored,
}: {
  change: ContactChange;
  onShowStored: (show: () => void) => void;
}) {
  const fetcher = useFetcher();
  const [contacts, setContacts] = useState(saved);
  onShowStored(() => setContacts([ada, makeContact('3', 'Barbara Liskov'), grace]));
  const { contacts: shown } = useOptimisticContacts(contacts);
  return (
    <>
      <button type="button" onClick={() => submitChange(fetcher, change, '/write')}>
        Send
      </button>
      <ul aria-label="Contacts">
        {shown.map((c) => (
          <li key={c.id}>{c.name}</li>
        ))}
      </ul>
    </>
  );
}
