/** What the app may do with the contacts, whatever the provider calls it (its scope names). */
export type ContactsPermission = 'read' | 'write';

const words: Record<ContactsPermission, string> = {
  read: 'Read your contacts',
  write: 'Create, edit and delete your contacts',
};

/** A permission in plain words. */
export function describePermission(permission: ContactsPermission): string {
  return words[permission];
}
