import type { Contact } from './contact.ts';

export function ContactList({ contacts }: { contacts: readonly Contact[] }) {
  if (contacts.length === 0) {
    return <p>No contacts yet.</p>;
  }
  return (
    <ul className="contact-list" aria-label="Contacts">
      {contacts.map((contact) => (
        <li key={contact.id}>
          <span className="contact-name">{contact.name}</span>
          {contact.company ? <span className="contact-meta">{contact.company}</span> : null}
          {contact.emails[0] ? <span className="contact-meta">{contact.emails[0]}</span> : null}
          {contact.phones[0] ? <span className="contact-meta">{contact.phones[0]}</span> : null}
        </li>
      ))}
    </ul>
  );
}
