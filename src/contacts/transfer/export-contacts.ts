// Export: every contact, or those matching the search (the API's `q`, which finds what the
// list's own search finds), read page by page and written as vCard or CSV, then saved.
import type { Contact } from '../contact.ts';
import { listContactsPage } from '../contacts-api.ts';
import type { ContactsApi } from '../contacts-http.ts';
import { contactsToCsv } from './csv-export.ts';
import { contactsToVcard } from './vcard-export.ts';

export type ExportFormat = 'vcard' | 'csv';

export async function readForExport(
  api: ContactsApi,
  query: string,
  signal?: AbortSignal,
): Promise<Contact[]> {
  const contacts: Contact[] = [];
  let cursor: string | undefined;
  do {
    const page = await listContactsPage(
      api,
      { limit: 200, cursor, ...(query ? { q: query } : {}) },
      signal,
    );
    contacts.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return contacts;
}

export async function exportFile(contacts: readonly Contact[], format: ExportFormat) {
  const day = new Date().toISOString().slice(0, 10);
  if (format === 'vcard') {
    return {
      name: `contacts-${day}.vcf`,
      blob: new Blob([await contactsToVcard(contacts)], { type: 'text/vcard;charset=utf-8' }),
    };
  }
  return {
    name: `contacts-${day}.csv`,
    blob: new Blob([await contactsToCsv(contacts)], { type: 'text/csv;charset=utf-8' }),
  };
}

/** Hands the file to the browser's downloads (a link to an object URL, clicked, let go). */
export function saveFile({ name, blob }: { name: string; blob: Blob }): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
