// The contact list, virtualized: only the rows in view (plus a few) are in the DOM, so
// 10,000 contacts scroll as smoothly as 10. Rows have one fixed height, so nothing is
// measured while scrolling. Screen readers still hear "3 of 10,000" from aria-posinset.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { Link } from 'react-router';
import type { Contact } from './contact.ts';

const ROW_HEIGHT = 60;

export function VirtualContactList(props: {
  contacts: readonly Contact[];
  selectedId?: string | undefined;
  /** Where a row links to (keeps the search in the URL). */
  linkTo: (contact: Contact) => string;
  /** Ids whose change is on its way to the server. */
  pendingIds?: ReadonlySet<string>;
  /** The open contact's row chosen again (no navigation happens): e.g. move focus to it. */
  onReopen?: () => void;
}) {
  const { contacts, selectedId, linkTo, pendingIds, onReopen } = props;
  const scrollerRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: contacts.length,
    getScrollElement: () => scrollerRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => contacts[index]?.id ?? index,
    overscan: 6,
    // Rows on the very first render (the scroller is not measured yet): the first contacts
    // paint with the page instead of one layout pass later. Corrected once measured.
    initialRect: { width: 0, height: window.innerHeight },
  });
  return (
    <div ref={scrollerRef} className="contact-scroller" data-testid="contact-scroller">
      <ul
        aria-label="Contacts"
        className="contact-list"
        style={{ height: virtualizer.getTotalSize() }}
      >
        {virtualizer.getVirtualItems().map((row) => {
          const contact = contacts[row.index];
          if (!contact) return null;
          const detail = contact.company ?? contact.emails[0] ?? contact.phones[0];
          return (
            <li
              key={row.key}
              aria-setsize={contacts.length}
              aria-posinset={row.index + 1}
              style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}
            >
              <Link
                to={linkTo(contact)}
                aria-current={contact.id === selectedId ? 'page' : undefined}
                className={pendingIds?.has(contact.id) ? 'saving' : undefined}
                onClick={contact.id === selectedId ? onReopen : undefined}
              >
                <span className="contact-name">{contact.name}</span>
                {detail ? <span className="contact-meta">{detail}</span> : null}
              </Link>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
