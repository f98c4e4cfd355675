// Import a .vcf or .csv: read (in slices, cancellable), preview (the first contacts, what
// will be skipped and why, and for a CSV the column mapping, all before anything is written),
// send in batches with a progress bar and Cancel, then the report.
import { useEffect, useRef, useState } from 'react';
import type { ContactsApi } from '../contacts-http.ts';
import type { Candidate } from './candidate.ts';
import { FIELDS, type Field, type Mapping } from './csv-columns.ts';
import { mapRows } from './csv-import.ts';
import { ImportReportView, SkippedList } from './import-report.tsx';
import { type ImportReport, runImport } from './import-run.ts';
import { ImportFileError, type ReadFile, readContactsFile } from './read-contacts-file.ts';

type Step =
  | { step: 'choose'; error?: string }
  | { step: 'reading'; name: string; items: number }
  | { step: 'preview'; name: string; file: ReadFile; candidates: Candidate[] }
  | { step: 'importing'; report: ImportReport }
  | { step: 'done'; report: ImportReport };

const PREVIEW_ROWS = 5;
const count = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

export function ImportPanel({
  api,
  onImported,
}: {
  api: ContactsApi;
  /** After an import that added contacts, so the list can catch up. */
  onImported: () => void;
}) {
  const [state, setState] = useState<Step>({ step: 'choose' });
  const work = useRef<AbortController | null>(null);
  useEffect(() => () => work.current?.abort(), []);

  const read = async (file: File) => {
    const controller = new AbortController();
    work.current = controller;
    setState({ step: 'reading', name: file.name, items: 0 });
    try {
      const read = await readContactsFile(file, {
        signal: controller.signal,
        onProgress: (items) => setState({ step: 'reading', name: file.name, items }),
      });
      const candidates =
        read.kind === 'vcard'
          ? read.candidates
          : await mapRows(read.table.rows, read.mapping, controller.signal);
      setState({ step: 'preview', name: file.name, file: read, candidates });
    } catch (error) {
      if (controller.signal.aborted) return setState({ step: 'choose' });
      const message =
        error instanceof ImportFileError
          ? error.message
          : `This file could not be read (${error instanceof Error ? error.message : error}).`;
      setState({ step: 'choose', error: message });
    }
  };

  const remap = async (preview: Extract<Step, { step: 'preview' }>, mapping: Mapping) => {
    if (preview.file.kind !== 'csv') return;
    const file = { ...preview.file, mapping };
    const candidates = await mapRows(file.table.rows, mapping);
    setState({ ...preview, file, candidates });
  };

  const start = async (candidates: Candidate[]) => {
    const controller = new AbortController();
    work.current = controller;
    const report = await runImport(api, candidates, {
      signal: controller.signal,
      onProgress: (report) => setState({ step: 'importing', report }),
    });
    setState({ step: 'done', report });
    if (report.created > 0) onImported();
  };

  if (state.step === 'choose') {
    return (
      <>
        <p className="hint">
          A vCard file (.vcf: Apple, Google, Outlook, Android) or a CSV file (.csv, from a
          spreadsheet or a mail program). You see what will be imported before anything is saved.
          Contacts imported before from the same card or row are recognised and not added again,
          even when you import the same file again later.
        </p>
        <label className="file-choice">
          Choose a vCard or CSV file
          <input
            type="file"
            accept=".vcf,.vcard,.csv,.txt,text/vcard,text/csv"
            onChange={(event) => {
              const file = event.currentTarget.files?.[0];
              if (file) void read(file);
            }}
          />
        </label>
        {state.error ? (
          <p role="alert" className="problem">
            {state.error}
          </p>
        ) : null}
      </>
    );
  }

  if (state.step === 'reading') {
    return (
      <div className="transfer-progress">
        <p role="status">
          Reading {state.name}… {state.items > 0 ? `${count(state.items)} so far` : ''}
        </p>
        <progress aria-label="Reading the file" />
        <button type="button" className="button" onClick={() => work.current?.abort()}>
          Cancel
        </button>
      </div>
    );
  }

  if (state.step === 'preview') {
    const ready = state.candidates.filter((c) => c.problems.length === 0);
    const skipped = state.candidates.filter((c) => c.problems.length > 0);
    const { file } = state;
    return (
      <>
        <p role="status">
          {state.name}: {count(ready.length)} contacts ready to import
          {skipped.length > 0 ? `, ${count(skipped.length)} will be skipped (listed below)` : ''}.
        </p>
        {file.kind === 'csv' ? (
          <ColumnMapping
            headers={file.table.headers}
            mapping={file.mapping}
            onChange={(mapping) => void remap(state, mapping)}
          />
        ) : file.notImported.length > 0 ? (
          <p className="hint">
            Not imported, as contacts here have no place for them: {file.notImported.join(', ')}.
          </p>
        ) : null}
        <table className="transfer-preview">
          <caption>The first contacts as they will be saved</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Emails</th>
              <th scope="col">Phones</th>
              <th scope="col">Company</th>
            </tr>
          </thead>
          <tbody>
            {ready.slice(0, PREVIEW_ROWS).map((c) => (
              <tr key={c.where}>
                <td>{c.input.name}</td>
                <td>{c.input.emails?.join(', ')}</td>
                <td>{c.input.phones?.join(', ')}</td>
                <td>{c.input.company}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <SkippedList skipped={skipped} />
        <div className="transfer-actions">
          <button
            type="button"
            className="button primary"
            disabled={ready.length === 0}
            onClick={() => void start(state.candidates)}
          >
            Import {count(ready.length)} contacts
          </button>
          <button type="button" className="button" onClick={() => setState({ step: 'choose' })}>
            Choose another file
          </button>
        </div>
      </>
    );
  }

  if (state.step === 'importing') {
    const { report } = state;
    return (
      <div className="transfer-progress">
        <p role="status">
          Imported {count(report.sent)} of {count(report.total)}…
          {report.pausedFor > 0
            ? ` The contacts service asked to slow down: going on in ${report.pausedFor} s.`
            : ''}
        </p>
        <progress aria-label="Import" value={report.sent} max={Math.max(1, report.total)} />
        <button type="button" className="button" onClick={() => work.current?.abort()}>
          Cancel
        </button>
      </div>
    );
  }

  return <ImportReportView report={state.report} onAgain={() => setState({ step: 'choose' })} />;
}

function ColumnMapping({
  headers,
  mapping,
  onChange,
}: {
  headers: readonly string[];
  mapping: Mapping;
  onChange: (mapping: Mapping) => void;
}) {
  return (
    <table className="transfer-mapping">
      <caption>Columns of the file, and the field each goes to</caption>
      <thead>
        <tr>
          <th scope="col">Column</th>
          <th scope="col">Field</th>
        </tr>
      </thead>
      <tbody>
        {headers.map((header, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: columns are fixed for a file
          <tr key={i}>
            <th scope="row">{header || `(column ${i + 1})`}</th>
            <td>
              <select
                aria-label={`Field for column ${header || i + 1}`}
                value={mapping[i]}
                onChange={(event) => {
                  const field = event.currentTarget.value as Field;
                  onChange(mapping.map((f, j) => (j === i ? field : f)));
                }}
              >
                {Object.entries(FIELDS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
