const words: Record<string, string> = {
  'contacts:read': 'Read your contacts',
  'contacts:write': 'Create, edit and delete your contacts',
};

/** A scope in plain words; unknown scopes are shown as they are. */
export function describeScope(scope: string): string {
  return words[scope] ?? scope;
}
