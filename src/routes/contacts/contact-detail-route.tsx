// /contacts/:contactId: one contact, fresh from the API (its version guards edits and
// deletes), with Edit and Delete (confirmed) when the app may write.
import { useRef, useState } from 'react';
import {
  type ActionFunctionArgs,
  Link,
  type LoaderFunctionArgs,
  redirect,
  useFetcher,
  useLoaderData,
  useLocation,
  useRouteLoaderData,
} from 'react-router';
import { isActionError, refusal } from '../../contacts/contact-action-result.ts';
import { cacheContact, uncacheContact } from '../../contacts/contact-cache-changes.ts';
import { deleteContact, getContact } from '../../contacts/contacts-api.ts';
import { sendShared } from '../../contacts/contacts-sync.ts';
import { type ContactChange, submitChange } from '../../contacts/optimistic-contacts.ts';
import { changedElsewhere, useCachedContact } from '../../contacts/use-cached-contact.ts';
import { WriteAccessNotice } from '../../contacts/write-access-notice.tsx';
import { ConfirmDialog } from '../../ui/confirm-dialog.tsx';
import { useFocusOnMount } from '../../ui/use-focus-on-mount.ts';
import {
  type ContactsLoaderData,
  type ContactsRouteServices,
  requireViewer,
} from './contacts-route.tsx';

export function contactLoader(services: ContactsRouteServices) {
  const { api } = services;
  return async ({ request, params }: LoaderFunctionArgs) => {
    const viewer = await requireViewer(services, request.url);
    const contact = await getContact(api, params.contactId ?? '', request.signal);
    cacheContact(viewer.owner, contact); // the list shows what the detail shows
    return { contact };
  };
}

export function deleteContactAction(services: ContactsRouteServices) {
  const { api } = services;
  return async ({ request }: ActionFunctionArgs) => {
    const viewer = await requireViewer(services, request.url);
    const change = (await request.json()) as Extract<ContactChange, { intent: 'delete' }>;
    try {
      await sendShared(
        viewer.owner,
        change,
        () => deleteContact(api, change.id, change.version),
        () => ({ deleted: change.id }),
      );
    } catch (error) {
      // A 412 too: the contact reloads with the other change, to be looked at first.
      return refusal(error);
    }
    uncacheContact(viewer.owner, change.id);
    return redirect(`/contacts${new URL(request.url).search}`);
  };
}

export function ContactDetailRoute() {
  const loaded = useLoaderData<Awaited<ReturnType<ReturnType<typeof contactLoader>>>>();
  const list = useRouteLoaderData<ContactsLoaderData>('contacts');
  const canWrite = list?.viewer.canWrite ?? false;
  const location = useLocation();
  const { search } = location;
  const fetcher = useFetcher({ key: `delete-${loaded.contact.id}` });
  // A newer version saved in another tab (or found by a refresh) shows at once.
  const cached = useCachedContact(list?.viewer.owner, loaded.contact.id);
  const elsewhere = fetcher.state === 'idle' ? changedElsewhere(loaded.contact, cached) : null;
  const contact = elsewhere === 'changed' && cached ? cached : loaded.contact;
  const [confirming, setConfirming] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useFocusOnMount(headingRef, contact.id); // (the list refocuses it when reopened)
  const failed = isActionError(fetcher.data) && fetcher.state === 'idle' ? fetcher.data : null;

  const remove = () => {
    setConfirming(false);
    const change: ContactChange = { intent: 'delete', id: contact.id, version: contact.version };
    submitChange(fetcher, change, `/contacts/${contact.id}/delete${search}`);
  };

  return (
    <article className="contact-detail" aria-labelledby="contact-title">
      <h2 id="contact-title" ref={headingRef} tabIndex={-1}>
        {contact.name}
      </h2>
      <dl>
        <dt>Emails</dt>
        <dd>{contact.emails.length ? contact.emails.join(', ') : 'none'}</dd>
        <dt>Phones</dt>
        <dd>{contact.phones.length ? contact.phones.join(', ') : 'none'}</dd>
        <dt>Company</dt>
        <dd>{contact.company ?? 'none'}</dd>
        <dt>Notes</dt>
        <dd className="notes">{contact.notes ?? 'none'}</dd>
      </dl>
      {elsewhere === 'deleted' ? (
        <p role="status" className="problem">
          This contact was deleted somewhere else.
        </p>
      ) : null}
      {failed ? (
        <p role="alert" className="problem">
          {contact.name} was not deleted: {failed.message}
        </p>
      ) : null}
      {elsewhere === 'deleted' ? null : canWrite ? (
        <div className="actions">
          <Link to={`/contacts/${contact.id}/edit${search}`} className="button primary">
            Edit
          </Link>
          <button
            type="button"
            className="danger"
            disabled={fetcher.state !== 'idle'}
            onClick={() => setConfirming(true)}
          >
            {fetcher.state === 'idle' ? 'Delete' : 'Deleting…'}
          </button>
        </div>
      ) : (
        <WriteAccessNotice
          viewer={list?.viewer}
          returnTo={`/contacts/${contact.id}/edit${search}`}
        />
      )}
      <ConfirmDialog
        open={confirming}
        title={`Delete ${contact.name}?`}
        confirmLabel="Delete"
        onConfirm={remove}
        onCancel={() => setConfirming(false)}
      >
        <p>This cannot be undone.</p>
      </ConfirmDialog>
    </article>
  );
}
