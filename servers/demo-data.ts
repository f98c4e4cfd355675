// Seeded people, defined once: the test IdP signs them in, the contacts API seeds their
// address books, and the e2e fixtures sign in as them. Demo passwords only: this data
// never leaves a developer's machine.

export type ContactsScope = 'contacts:read' | 'contacts:write';

export interface DemoUser {
  /** Stable subject identifier (the `sub` claim). */
  sub: string;
  username: string;
  password: string;
  name: string;
  givenName: string;
  familyName: string;
  email: string;
  /** What this account may ever be granted for the contacts API, whatever the app asks. */
  entitlements: readonly ContactsScope[];
}

export interface DemoContact {
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
}

export const demoUsers: readonly DemoUser[] = [
  {
    sub: '3f1c6a52-9d4e-4b8a-a1e2-5c7d9e0f1a01',
    username: 'alice',
    password: 'alice-demo-password',
    name: 'Alice Andersen',
    givenName: 'Alice',
    familyName: 'Andersen',
    email: 'alice@example.test',
    entitlements: ['contacts:read', 'contacts:write'],
  },
  {
    sub: '8b2e4d71-0c5f-4e9a-b3d6-7f8a1b2c3d02',
    username: 'bob',
    password: 'bob-demo-password',
    name: 'Bob Brown',
    givenName: 'Bob',
    familyName: 'Brown',
    email: 'bob@example.test',
    entitlements: ['contacts:read'],
  },
];

/** Each demo user's address book, by username; distinct so tests can tell them apart. */
export const demoContacts: Readonly<Record<string, readonly DemoContact[]>> = {
  alice: [
    {
      name: 'Ada Lovelace',
      email: 'ada@analytical.example',
      phone: '+44 20 7946 0018',
      company: 'Analytical Engines',
    },
    {
      name: 'Grace Hopper',
      email: 'grace@navy.example',
      phone: '+1 202 555 0143',
      company: 'US Navy',
    },
    { name: 'Zoë Ødegård', email: 'zoe@fjord.example', phone: null, company: 'Fjord & Co' },
  ],
  bob: [
    {
      name: 'Alan Turing',
      email: 'alan@bletchley.example',
      phone: '+44 1908 640404',
      company: 'Bletchley Park',
    },
    { name: 'Katherine Johnson', email: null, phone: '+1 757 555 0199', company: 'NASA Langley' },
  ],
};

export function findDemoUser(username: string): DemoUser | undefined {
  return demoUsers.find((user) => user.username === username);
}
