// /contacts: the searchable, virtualized list beside the selected contact (the outlet).
// The whole address book is loaded once per tab (first page shown at once, the rest
// streamed in), then search filters it locally on each keystroke; `?q=` keeps the search
// in the URL so it can be shared and survives a reload. It stays fresh: the other tabs'
// changes arrive over contacts-sync.ts, and while the page is visible the API is asked
// whether the list changed (contacts-refresh.ts).
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import {
  type LoaderFunctionArgs,
  Outlet,
  type ShouldRevalidateFunctionArgs,
  useLoaderData,
  useLocation,
  useParams,
  useRevalidator,
} from 'react-router';
import {
  noteWriteScope,
  requestWriteAccess,
  writeAccessOf,
} from '../../auth/sign-in/write-access.ts';
import {
  cacheContacts,
  cachedContacts,
  noteContactsLoading,
  subscribeContacts,
} from '../../contacts/contact-cache.ts';
import { buildSearchIndex, searchContacts } from '../../contacts/contact-search.ts';
import { listRemainingContacts } from '../../contacts/contacts-api.ts';
import type { ContactsApi } from '../../contacts/contacts-http.ts';
import { refreshContacts } from '../../contacts/contacts-refresh.ts';
import { hearOtherTabs, useOtherTabsChanges } from '../../contacts/contacts-sync.ts';
import { ContactsToolbar } from '../../contacts/contacts-toolbar.tsx';
import { firstContactsPage } from '../../contacts/first-contacts-page.ts';
import { useOptimisticContacts } from '../../contacts/optimistic-contacts.ts';
import type { SlowDown } from '../../contacts/slow-down.ts';
import { SlowDownNotice } from '../../contacts/slow-down-notice.tsx';
import { useContactSearch } from '../../contacts/use-contact-search.ts';
import { ownerOf, type Viewer } from '../../contacts/viewer.ts';
import { VirtualContactList } from '../../contacts/virtual-contact-list.tsx';
import { whileVisible } from '../../lib/while-visible.ts';
import type { Session } from '../../session/create-session.ts';
import { requireUser } from '../../session/require-user.ts';

/** What the contacts routes' loaders and actions work with (the route table hands it in). */
export interface ContactsRouteServices {
  api: ContactsApi;
  /** A request waiting out a 429 (contacts-http.ts), shown above the list. */
  slowDown: SlowDown;
  session: Session;
  /** The provider's scope for editing contacts (its config's contactsScopes.write). */
  writeScope: string;
  /** How often to ask whether the list changed while visible (options.contactsRefreshSeconds). */
  refreshSeconds: number;
}

/** The signed-in viewer of the address book; signs in first when there is no session. */
export async function requireViewer(
  { session, writeScope }: Pick<ContactsRouteServices, 'session' | 'writeScope'>,
  requestUrl: string,
): Promise<Viewer> {
  const user = await requireUser(session, requestUrl);
  const scopes = (user.scope ?? '').split(' ').filter(Boolean);
  const owner = ownerOf(user.profile);
  const canWrite = scopes.includes(writeScope);
  noteWriteScope(owner, canWrite, writeScope);
  return {
    owner,
    issuer: user.profile.iss,
    subject: user.profile.sub,
    scopes,
    canWrite,
    writeAccess: writeAccessOf(user, owner, scopes, writeScope),
    askForWriteAccess: (returnTo) =>
      requestWriteAccess(session.manager, owner, returnTo, writeScope),
  };
}

export function contactsLoader(services: ContactsRouteServices) {
  const { api, slowDown, refreshSeconds } = services;
  return async ({ request }: LoaderFunctionArgs) => {
    performance.mark('app:contacts loader');
    const viewer = await requireViewer(services, request.url);
    const freshness = {
      refresh: () => refreshContacts(api, viewer.owner),
      everyMs: refreshSeconds * 1000,
    };
    const shared = { viewer, slowDown, freshness };
    const cached = cachedContacts(viewer.owner);
    if (cached) return { ...shared, contacts: cached, rest: null };
    const first = await firstContactsPage(api, viewer.owner, request.signal);
    performance.mark('app:contacts first page');
    if (!first.nextCursor) {
      cacheContacts(viewer.owner, first.items, first.etag);
      return { ...shared, contacts: first.items, rest: null };
    }
    // The first rows show now; the rest streams in (not tied to this navigation's signal:
    // typing a search must not cancel it). The first page's ETag is the oldest of the
    // pages': a write while they stream makes the next refresh read again, never miss it.
    const rest = listRemainingContacts(api, first).then((all) => {
      cacheContacts(viewer.owner, all, first.etag);
      return all.length;
    });
    noteContactsLoading(viewer.owner, rest); // a refresh asked meanwhile waits for it
    return { ...shared, contacts: first.items, rest };
  };
}

export type ContactsLoaderData = Awaited<ReturnType<ReturnType<typeof contactsLoader>>>;

/** Typing a search changes only `?q=`: the list is already here, nothing to load. */
export function shouldRevalidateContacts(args: ShouldRevalidateFunctionArgs): boolean {
  const { currentUrl, nextUrl, formMethod, defaultShouldRevalidate } = args;
  const searchOnly =
    !formMethod && currentUrl.pathname === nextUrl.pathname && currentUrl.search !== nextUrl.search;
  return searchOnly ? false : defaultShouldRevalidate;
}

export function ContactsRoute() {
  const { viewer, contacts, rest, slowDown, freshness } = useLoaderData<ContactsLoaderData>();
  const revalidator = useRevalidator();
  const { contactId } = useParams();
  const location = useLocation();
  const { query, setQuery } = useContactSearch();
  // The cached list as it changes (saves here, other tabs, refreshes); the loader's first
  // page while the rest streams in.
  const cached = useSyncExternalStore(subscribeContacts, () => cachedContacts(viewer.owner));
  const shown = useOptimisticContacts(cached ?? contacts, useOtherTabsChanges(viewer.owner));
  const index = useMemo(() => buildSearchIndex(shown.contacts), [shown.contacts]);
  const matches = useMemo(() => searchContacts(index, query), [index, query]);

  useEffect(() => {
    if (!rest) return;
    let live = true;
    rest.then(
      () => live && void revalidator.revalidate(),
      () => undefined, // the next navigation loads again and shows the error
    );
    return () => {
      live = false;
    };
  }, [rest, revalidator]);

  useEffect(() => {
    hearOtherTabs();
    // A failed refresh is only a missed one: the next trigger tries again.
    return whileVisible(freshness.refresh, { everyMs: freshness.everyMs });
  }, [freshness]);

  const linkTo = (contact: { id: string }) => `/contacts/${contact.id}${location.search}`;
  return (
    <div
      className={
        contactId || location.pathname.endsWith('/new') ? 'contacts has-detail' : 'contacts'
      }
    >
      <section className="contacts-list-pane" aria-labelledby="contacts-title">
        <h1 id="contacts-title">Your contacts</h1>
        <ContactsToolbar
          viewer={viewer}
          query={query}
          onQueryChange={setQuery}
          total={shown.contacts.length}
          matches={matches.length}
          loadingMore={rest !== null}
        />
        <SlowDownNotice slowDown={slowDown} />
        {shown.contacts.length === 0 && !rest ? (
          <p className="empty">No contacts yet.</p>
        ) : matches.length === 0 ? (
          <p className="empty">No contact matches “{query}”.</p>
        ) : (
          <VirtualContactList
            contacts={matches}
            keepRowsInView={query}
            selectedId={contactId}
            linkTo={linkTo}
            pendingIds={shown.pendingIds}
            onReopen={() => document.getElementById('contact-title')?.focus()}
          />
        )}
      </section>
      <div className="contacts-detail-pane">
        <Outlet />
      </div>
    </div>
  );
}
