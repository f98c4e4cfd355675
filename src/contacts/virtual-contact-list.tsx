// The contact list, virtualized: only the rows in view (plus a few) are in the DOM, so
// 10,000 contacts scroll as smoothly as 10. Rows have one fixed height, so nothing is
// measured while scrolling. Screen readers still hear "3 of 10,000" from aria-posinset.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useLayoutEffect, useRef } from 'react';
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
  /**
   * While this stays the same (the search), the row at the top of the view stays there when
   * the list changes (a contact added or removed above it): the view never jumps.
   */
  keepRowsInView?: string;
}) {
  const { contacts, selectedId, linkTo, pendingIds, onReopen, keepRowsInView } = props;
  const scrollerRef = useRef<HTMLDivElement>(null);
  const topRow = useRef<{ id: string; offset: number; key: string | undefined } | null>(null);
  const rememberTopRow = () => {
    const scroller = scrollerRef.current;
    if (!scroller) return;
    const index = Math.floor(scroller.scrollTop / ROW_HEIGHT);
    const contact = contacts[index];
    topRow.current =
      contact && scroller.scrollTop > 0
        ? { id: contact.id, offset: scroller.scrollTop - index * ROW_HEIGHT, key: keepRowsInView }
        : null;
  };
  // Before the changed list paints: scrolled to where the remembered top row now is.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the list changes
  useLayoutEffect(() => {
    const scroller = scrollerRef.current;
    const top = topRow.current;
    if (!scroller || !top || top.key !== keepRowsInView) return;
    const index = contacts.findIndex((contact) => contact.id === top.id);
    if (index === -1) return;
    const scrollTop = index * ROW_HEIGHT + top.offset;
    if (Math.abs(scroller.scrollTop - scrollTop) >= 1) scroller.scrollTop = scrollTop;
  }, [contacts]);
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
    <div
      ref={scrollerRef}
      className="contact-scroller"
      data-testid="contact-scroller"
      onScroll={rememberTopRow}
    >
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
