// Export all contacts, or the search's matches, as vCard 4.0 or CSV.
import { useState } from 'react';
import type { ContactsApi } from '../contacts-http.ts';
import { type ExportFormat, exportFile, readForExport, saveFile } from './export-contacts.ts';

export function ExportPanel({ api, query }: { api: ContactsApi; query: string }) {
  const [which, setWhich] = useState<'all' | 'matches'>(query ? 'matches' : 'all');
  const [status, setStatus] = useState<{ busy: boolean; text: string; failed?: boolean }>({
    busy: false,
    text: '',
  });
  const run = async (format: ExportFormat) => {
    setStatus({ busy: true, text: 'Preparing the file…' });
    try {
      const contacts = await readForExport(api, which === 'matches' ? query : '');
      const file = await exportFile(contacts, format);
      saveFile(file);
      setStatus({ busy: false, text: `Saved ${contacts.length} contacts as ${file.name}.` });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      setStatus({ busy: false, text: `The export failed: ${reason}`, failed: true });
    }
  };
  return (
    <section className="transfer-part" aria-labelledby="export-title">
      <h3 id="export-title">Export</h3>
      {query ? (
        <fieldset>
          <legend>Which contacts</legend>
          <label>
            <input type="radio" checked={which === 'all'} onChange={() => setWhich('all')} /> All
            contacts
          </label>
          <label>
            <input
              type="radio"
              checked={which === 'matches'}
              onChange={() => setWhich('matches')}
            />{' '}
            Those that match “{query}”
          </label>
        </fieldset>
      ) : null}
      <p className="hint">
        vCard 4.0 for address books and phones; CSV (UTF-8) for spreadsheets and mail programs.
      </p>
      <div className="transfer-actions">
        <button
          type="button"
          className="button"
          disabled={status.busy}
          onClick={() => run('vcard')}
        >
          Download vCard (.vcf)
        </button>
        <button type="button" className="button" disabled={status.busy} onClick={() => run('csv')}>
          Download CSV (.csv)
        </button>
      </div>
      <p
        role={status.failed ? 'alert' : 'status'}
        className={status.failed ? 'problem' : 'pending'}
      >
        {status.text}
      </p>
    </section>
  );
}
