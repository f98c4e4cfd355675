// Specs that create contacts for a worker's user remove them again: other specs expect that
// user's seeded contacts only.
import type { ContactsApi } from './contacts-api-client.ts';

export async function deleteContactViaApi(client: ContactsApi, id: string): Promise<void> {
  const path = `/contacts/${encodeURIComponent(id)}`;
  const current = await client.request('GET', path);
  if (current.status === 404) return;
  const etag = current.headers.get('etag') ?? '';
  const deleted = await client.request('DELETE', path, { headers: { 'if-match': etag } });
  if (deleted.status !== 204) throw new Error(`cleanup: DELETE ${id} answered ${deleted.status}`);
}
