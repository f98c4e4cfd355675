// A 412 made visible: the user's unsaved version beside the one saved elsewhere, and an
// explicit choice. Nothing is overwritten unless the user says so.
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import type { Contact, ContactInput } from './contact.ts';

function Version({ title, value }: { title: string; value: ContactInput | Contact }) {
  const rows: [string, string][] = [
    ['Name', value.name],
    ['Emails', value.emails?.join(', ') || 'none'],
    ['Phones', value.phones?.join(', ') || 'none'],
    ['Company', value.company ?? 'none'],
    ['Notes', value.notes ?? 'none'],
  ];
  return (
    <section aria-label={title} className="version">
      <h3>{title}</h3>
      <dl>
        {rows.map(([label, text]) => (
          <div key={label} className="row">
            <dt>{label}</dt>
            <dd>{text}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function ConflictPanel(props: {
  mine: ContactInput | null;
  theirs: Contact | null;
  onKeepMine: (theirs: Contact) => void;
  cancelTo: string;
}) {
  const { mine, theirs } = props;
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <section aria-labelledby="conflict-title" className="conflict">
      <h2 id="conflict-title" ref={headingRef} tabIndex={-1}>
        This contact was changed somewhere else
      </h2>
      {theirs ? (
        <p>Someone saved it after you opened it. Choose which version to keep.</p>
      ) : (
        <p>It was deleted after you opened it.</p>
      )}
      <div className="columns">
        {mine ? <Version title="Your version (not saved)" value={mine} /> : null}
        {theirs ? <Version title="Saved version" value={theirs} /> : null}
      </div>
      <div className="actions">
        {theirs && mine ? (
          <button type="button" className="primary" onClick={() => props.onKeepMine(theirs)}>
            Keep my version
          </button>
        ) : null}
        <Link to={props.cancelTo}>{theirs ? 'Keep the saved version' : 'Back to contacts'}</Link>
      </div>
    </section>
  );
}
