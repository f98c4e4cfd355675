// Every contacts screen in one lazily loaded chunk: after the list, opening a contact or the
// form never waits for another download.
export { ContactDetailRoute, contactLoader, deleteContactAction } from './contact-detail-route.tsx';
export { ContactEditRoute, editContactAction, editContactLoader } from './contact-edit-route.tsx';
export { ContactNewRoute, newContactAction } from './contact-new-route.tsx';
export { ContactsRoute, contactsLoader, shouldRevalidateContacts } from './contacts-route.tsx';
