// Specs that create contacts for a worker's user remove them again: other specs expect that
// user's seeded contacts only.
import type { ContactsApi } from './contacts-api-client.ts';

export async function deleteContactViaApi(client: ContactsApi, id: string): Promise<void> {
  const url = new URL(`/contacts/${encodeURIComponent(id)}`, client.baseUrl);
  const headers = { authorization: `Bearer ${client.accessToken}` };
  const current = await fetch(url, { headers });
  if (current.status === 404) return;
  const etag = current.headers.get('etag') ?? '';
  const deleted = await fetch(url, { method: 'DELETE', headers: { ...headers, 'if-match': etag } });
  if (deleted.status !== 204) throw new Error(`cleanup: DELETE ${id} answered ${deleted.status}`);
}
