import { type LoaderFunctionArgs, useLoaderData } from 'react-router';
import type { AuthRegistry } from '../auth/auth-registry.ts';
import { createAuthorizedFetch } from '../auth/authorized-fetch.ts';
import { requireUser } from '../auth/require-user.ts';
import type { AppConfig } from '../config/app-config.ts';
import { ContactList } from '../contacts/contact-list.tsx';
import { listContacts } from '../contacts/contacts-api.ts';

export function contactsLoader(config: AppConfig, auth: AuthRegistry) {
  const api = {
    fetch: createAuthorizedFetch(auth.userManager, config.api.baseUrl),
    baseUrl: config.api.baseUrl,
  };
  return async ({ request }: LoaderFunctionArgs) => {
    await requireUser(auth.userManager, request.url);
    return { contacts: await listContacts(api, request.signal) };
  };
}

export function ContactsRoute() {
  const { contacts } = useLoaderData<Awaited<ReturnType<ReturnType<typeof contactsLoader>>>>();
  return (
    <section>
      <h1>Your contacts</h1>
      <ContactList contacts={contacts} />
    </section>
  );
}
