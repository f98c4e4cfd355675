// What an import did: added, already there, skipped (each with where, field and rule), and
// why it stopped early, if it did.
import type { ImportReport, Skipped } from './import-run.ts';

const SHOWN = 200;
const count = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

export function SkippedList({ skipped }: { skipped: readonly Skipped[] }) {
  if (skipped.length === 0) return null;
  return (
    <section aria-labelledby="skipped-title">
      <h4 id="skipped-title">Skipped ({count(skipped.length)})</h4>
      <ul className="transfer-skipped">
        {skipped.slice(0, SHOWN).map(({ where, problems }) => (
          <li key={where}>
            {where}: {problems.map((p) => `${p.field} ${p.message} (${p.rule})`).join('; ')}
          </li>
        ))}
      </ul>
      {skipped.length > SHOWN ? <p>…and {count(skipped.length - SHOWN)} more.</p> : null}
    </section>
  );
}

export function ImportReportView({
  report,
  onAgain,
}: {
  report: ImportReport;
  onAgain: () => void;
}) {
  return (
    <section aria-labelledby="report-title">
      <h4 id="report-title">{report.stopped ? 'Import stopped' : 'Import finished'}</h4>
      <p role="status">
        {count(report.created)} added, {count(report.duplicates)} already there (imported before),{' '}
        {count(report.skipped.length)} skipped.
      </p>
      {report.stopped ? (
        <p role="alert" className="problem">
          {report.stopped} Importing the same file again is safe: what is in already is recognised
          and skipped.
        </p>
      ) : null}
      <SkippedList skipped={report.skipped} />
      <button type="button" className="button" onClick={onAgain}>
        Import another file
      </button>
    </section>
  );
}
