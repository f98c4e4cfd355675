// /contacts/:contactId/edit: the form, saved with If-Match on the version it was opened at.
// A 412 means someone saved in between: both versions are shown and the user chooses. A
// change elsewhere that this tab hears of (another tab, a refresh) is said before saving.
import {
  type ActionFunctionArgs,
  Link,
  redirect,
  useFetcher,
  useLoaderData,
  useLocation,
  useRouteLoaderData,
} from 'react-router';
import { ConflictPanel } from '../../contacts/conflict-panel.tsx';
import { isActionError, refusal } from '../../contacts/contact-action-result.ts';
import { cacheContact } from '../../contacts/contact-cache-changes.ts';
import { ContactForm } from '../../contacts/contact-form.tsx';
import {
  type ContactFormValues,
  formValuesOf,
  toContactInput,
} from '../../contacts/contact-form-values.ts';
import { getContact, updateContact } from '../../contacts/contacts-api.ts';
import { ContactsApiError } from '../../contacts/contacts-api-error.ts';
import { sendShared } from '../../contacts/contacts-sync.ts';
import { type ContactChange, submitChange } from '../../contacts/optimistic-contacts.ts';
import { changedElsewhere, useCachedContact } from '../../contacts/use-cached-contact.ts';
import { WriteAccessNotice } from '../../contacts/write-access-notice.tsx';
import { discardDraft } from '../../session/drafts.ts';
import { useDraft } from '../../session/react/use-draft.ts';
import { contactLoader } from './contact-detail-route.tsx';
import {
  type ContactsLoaderData,
  type ContactsRouteServices,
  requireViewer,
} from './contacts-route.tsx';

export { contactLoader as editContactLoader };

const draftKey = (contactId: string) => `contact:${contactId}`;

export function editContactAction(services: ContactsRouteServices) {
  const { api } = services;
  return async ({ request }: ActionFunctionArgs) => {
    const viewer = await requireViewer(services, request.url);
    const change = (await request.json()) as Extract<ContactChange, { intent: 'update' }>;
    try {
      const saved = await sendShared(
        viewer.owner,
        change,
        () => updateContact(api, change.id, change.version, change.input),
        (answer) => ({ saved: answer }),
      );
      cacheContact(viewer.owner, saved);
      // Only now: a refused, conflicting or interrupted save keeps every typed character.
      discardDraft(viewer, draftKey(change.id));
    } catch (error) {
      if (error instanceof ContactsApiError && error.code === 'conflict') {
        const theirs = await getContact(api, change.id).catch(() => null);
        if (theirs) cacheContact(viewer.owner, theirs);
        return { error: 'conflict' as const, message: error.message, mine: change.input, theirs };
      }
      return refusal(error);
    }
    return redirect(`/contacts/${encodeURIComponent(change.id)}${new URL(request.url).search}`);
  };
}

export function ContactEditRoute() {
  const { contact } = useLoaderData<Awaited<ReturnType<ReturnType<typeof contactLoader>>>>();
  const fetcher = useFetcher({ key: `save-${contact.id}` });
  // Unsaved edits survive a session that ends and the sign-in again (src/session/drafts.ts).
  const draft = useDraft<ContactFormValues>(draftKey(contact.id));
  const { search } = useLocation();
  const refused = isActionError(fetcher.data) && fetcher.state === 'idle' ? fetcher.data : null;
  const action = `/contacts/${contact.id}/edit${search}`;
  const viewer = useRouteLoaderData<ContactsLoaderData>('contacts')?.viewer;
  const canWrite = viewer?.canWrite ?? false;
  // Said before saving, and what was typed is kept (the form stays as it is).
  const cached = useCachedContact(viewer?.owner, contact.id);
  const elsewhere = fetcher.state === 'idle' ? changedElsewhere(contact, cached) : null;

  const save = (change: ContactChange) => submitChange(fetcher, change, action, 'put');

  if (!canWrite) {
    return (
      <section className="contact-edit" aria-labelledby="edit-title">
        <h2 id="edit-title">Edit {contact.name}</h2>
        <WriteAccessNotice viewer={viewer} returnTo={action} />
        <Link to={`/contacts/${contact.id}${search}`}>Back to {contact.name}</Link>
      </section>
    );
  }
  if (refused?.error === 'conflict') {
    return (
      <ConflictPanel
        mine={refused.mine}
        theirs={refused.theirs}
        onKeepMine={(theirs) =>
          refused.mine &&
          save({ intent: 'update', id: contact.id, version: theirs.version, input: refused.mine })
        }
        cancelTo={`/contacts/${contact.id}${search}`}
      />
    );
  }
  return (
    <section className="contact-edit" aria-labelledby="edit-title">
      <h2 id="edit-title">Edit {contact.name}</h2>
      {refused && refused.error !== 'invalid' ? (
        <div role="alert" className="problem">
          <p>Your changes were not saved: {refused.message} The contact is as it was.</p>
          {refused.error === 'insufficient_scope' ? (
            <WriteAccessNotice viewer={viewer} returnTo={action} />
          ) : null}
        </div>
      ) : null}
      {elsewhere ? (
        <p role="status" className="problem">
          {elsewhere === 'changed'
            ? 'This contact was changed somewhere else. What you typed is kept: saving shows both versions, and you choose.'
            : 'This contact was deleted somewhere else. What you typed is kept here, but it cannot be saved to it.'}
        </p>
      ) : null}
      <ContactForm
        key={contact.version}
        initialValues={{ ...formValuesOf(contact), ...draft.initial }}
        onChange={draft.save}
        fieldErrors={refused?.error === 'invalid' ? refused.fieldErrors : undefined}
        focusFirstField
        submitLabel="Save"
        pending={fetcher.state !== 'idle'}
        onSubmit={(values) => {
          save({
            intent: 'update',
            id: contact.id,
            version: contact.version,
            input: toContactInput(values),
          });
        }}
      >
        <Link to={`/contacts/${contact.id}${search}`}>Cancel</Link>
      </ContactForm>
    </section>
  );
}
