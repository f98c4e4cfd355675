import { useRef } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useShortcut } from '../ui/use-shortcut.ts';
import type { Viewer } from './viewer.ts';
import { WriteAccessNotice } from './write-access-notice.tsx';

// Not toLocaleString: its first call loads ICU's number data, on the path from the
// contacts' arrival to the first rows painted (BENCHMARKS.md).
const count = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * Search (shortcut "/"), what is shown, New contact (shortcut "n") or why not, and the way
 * to import or export (a route and chunk of its own).
 */
export function ContactsToolbar(props: {
  viewer: Viewer;
  query: string;
  onQueryChange: (query: string) => void;
  total: number;
  matches: number;
  loadingMore: boolean;
}) {
  const { viewer, query, total, matches, loadingMore } = props;
  const searchRef = useRef<HTMLInputElement>(null);
  const navigate = useNavigate();
  const { search } = useLocation();
  useShortcut('/', () => searchRef.current?.focus());
  useShortcut('n', () => navigate(`/contacts/new${search}`), viewer.canWrite);

  const summary = query
    ? `${count(matches)} of ${count(total)} contacts match`
    : `${count(total)} contacts`;
  return (
    <div className="contacts-toolbar">
      <search className="contact-search">
        <label htmlFor="contact-search">Search contacts</label>
        <input
          ref={searchRef}
          id="contact-search"
          type="search"
          value={query}
          autoComplete="off"
          spellCheck={false}
          aria-keyshortcuts="/"
          aria-describedby="contact-count"
          placeholder="Name, email, phone or company"
          onChange={(event) => props.onQueryChange(event.currentTarget.value)}
        />
      </search>
      <p id="contact-count" className="contact-count" role="status">
        {summary}
        {loadingMore ? ' (still loading more…)' : ''}
      </p>
      {viewer.canWrite ? (
        <Link to={`/contacts/new${search}`} className="button primary" aria-keyshortcuts="n">
          New contact
        </Link>
      ) : (
        <WriteAccessNotice viewer={viewer} />
      )}
      <Link to={`/contacts/transfer${search}`} className="button">
        Import or export
      </Link>
    </div>
  );
}
