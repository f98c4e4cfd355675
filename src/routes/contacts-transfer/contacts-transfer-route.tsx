// /contacts/transfer: import a vCard or CSV file, export as vCard or CSV. A chunk of its own
// (vite.config.ts), with ical.js and Papa Parse: the contacts screens load neither until
// someone opens this.
import { useRouteLoaderData, useSearchParams } from 'react-router';
import type { ContactsApi } from '../../contacts/contacts-http.ts';
import { refreshContacts } from '../../contacts/contacts-refresh.ts';
import { ExportPanel } from '../../contacts/transfer/export-panel.tsx';
import { ImportPanel } from '../../contacts/transfer/import-panel.tsx';
import { WriteAccessNotice } from '../../contacts/write-access-notice.tsx';
import type { ContactsLoaderData } from '../contacts/contacts-route.tsx';

export function ContactsTransferRoute({ api }: { api: ContactsApi }) {
  const viewer = useRouteLoaderData<ContactsLoaderData>('contacts')?.viewer;
  const [params] = useSearchParams();
  const query = params.get('q')?.trim() ?? '';
  return (
    <section className="transfer" aria-labelledby="transfer-title">
      <h2 id="transfer-title">Import and export</h2>
      <section className="transfer-part" aria-labelledby="import-title">
        <h3 id="import-title">Import</h3>
        {viewer?.canWrite ? (
          <ImportPanel
            api={api}
            // The list on screen follows this tab's copy: read again (ETag) and merged.
            onImported={() => void refreshContacts(api, viewer.owner).catch(() => undefined)}
          />
        ) : (
          <WriteAccessNotice viewer={viewer} />
        )}
      </section>
      <ExportPanel api={api} query={query} />
    </section>
  );
}
