// /contacts/new: create. The Idempotency-Key makes a retried request never create two.
import {
  type ActionFunctionArgs,
  Link,
  redirect,
  useFetcher,
  useLocation,
  useRouteLoaderData,
} from 'react-router';
import { isActionError, refusal } from '../../contacts/contact-action-result.ts';
import { cacheContact } from '../../contacts/contact-cache-changes.ts';
import { ContactForm } from '../../contacts/contact-form.tsx';
import {
  type ContactFormValues,
  emptyContactForm,
  toContactInput,
} from '../../contacts/contact-form-values.ts';
import { createContact } from '../../contacts/contacts-api.ts';
import { sendShared } from '../../contacts/contacts-sync.ts';
import {
  type ContactChange,
  noteCreateStored,
  submitChange,
} from '../../contacts/optimistic-contacts.ts';
import { WriteAccessNotice } from '../../contacts/write-access-notice.tsx';
import { discardDraft } from '../../session/drafts.ts';
import { useDraft } from '../../session/react/use-draft.ts';
import {
  type ContactsLoaderData,
  type ContactsRouteServices,
  requireViewer,
} from './contacts-route.tsx';

const DRAFT_KEY = 'contact:new';

export function newContactAction(services: ContactsRouteServices) {
  const { api } = services;
  return async ({ request }: ActionFunctionArgs) => {
    const viewer = await requireViewer(services, request.url);
    const change = (await request.json()) as Extract<ContactChange, { intent: 'create' }>;
    try {
      const created = await sendShared(
        viewer.owner,
        change,
        () => createContact(api, change.input, change.tempId),
        (answer) => ({ saved: answer }),
      );
      noteCreateStored(change.tempId);
      cacheContact(viewer.owner, created);
      // Only now: a refused or interrupted save keeps every typed character.
      discardDraft(viewer, DRAFT_KEY);
      return redirect(`/contacts/${encodeURIComponent(created.id)}${new URL(request.url).search}`);
    } catch (error) {
      return refusal(error);
    }
  };
}

export function ContactNewRoute() {
  const fetcher = useFetcher({ key: 'new-contact' });
  // Unsaved input survives a session that ends and the sign-in again (src/session/drafts.ts).
  const draft = useDraft<ContactFormValues>(DRAFT_KEY);
  const { search } = useLocation();
  const viewer = useRouteLoaderData<ContactsLoaderData>('contacts')?.viewer;
  const canWrite = viewer?.canWrite ?? false;
  const refused = isActionError(fetcher.data) && fetcher.state === 'idle' ? fetcher.data : null;
  return (
    <section className="contact-edit" aria-labelledby="new-title">
      <h2 id="new-title">New contact</h2>
      {refused && refused.error !== 'invalid' ? (
        <div role="alert" className="problem">
          <p>The contact was not created: {refused.message}</p>
          {refused.error === 'insufficient_scope' ? <WriteAccessNotice viewer={viewer} /> : null}
        </div>
      ) : null}
      {canWrite ? null : <WriteAccessNotice viewer={viewer} returnTo={`/contacts/new${search}`} />}
      <ContactForm
        initialValues={{ ...emptyContactForm, ...draft.initial }}
        onChange={draft.save}
        fieldErrors={refused?.error === 'invalid' ? refused.fieldErrors : undefined}
        focusFirstField
        submitLabel="Create contact"
        pending={fetcher.state !== 'idle'}
        onSubmit={(values) => {
          // A fresh key per attempt; it doubles as the optimistic row's id.
          const change: ContactChange = {
            intent: 'create',
            input: toContactInput(values),
            tempId: `new-${crypto.randomUUID()}`,
          };
          submitChange(fetcher, change, `/contacts/new${search}`);
        }}
      >
        <Link to={`/contacts${search}`}>Cancel</Link>
      </ContactForm>
    </section>
  );
}
