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
  /** null: the account has no email address (the ID token then carries no email claim). */
  email: string | null;
  /** What this account may ever be granted for the contacts API, whatever the app asks. */
  entitlements: readonly ContactsScope[];
  /** A disabled account: the password is right, but the IdP refuses to sign it in. */
  disabled?: boolean;
  /** Why the account exists, for people reading `npm start` and the e2e docs. */
  purpose?: string;
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
    purpose: 'reads and edits contacts',
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
    purpose: 'may only ever read contacts',
  },
  {
    sub: 'c4d8e2f6-1a3b-4c5d-9e7f-0a1b2c3d4e03',
    username: 'dora',
    password: 'dora-demo-password',
    name: 'Dora Disabled',
    givenName: 'Dora',
    familyName: 'Disabled',
    email: 'dora@example.test',
    entitlements: ['contacts:read', 'contacts:write'],
    disabled: true,
    purpose: 'disabled: the login page refuses her',
  },
  {
    sub: 'd5e9f3a7-2b4c-4d6e-8f0a-1b2c3d4e5f04',
    username: 'zoe',
    password: 'zoe-demo-password',
    // Non-ASCII, mixed scripts, long family name, and no email at all.
    name: 'Zoë Ñúñez-Øberg 李',
    givenName: 'Zoë',
    familyName: `Ñúñez-Øberg 李 ${'von-Überlänge-'.repeat(12)}Ende`,
    email: null,
    entitlements: ['contacts:read', 'contacts:write'],
    purpose: 'unusual claims: non-ASCII name, no email, long values',
  },
  {
    sub: 'e6f0a4b8-3c5d-4e7f-9a1b-2c3d4e5f6a05',
    username: 'sam',
    password: 'sam-demo-password',
    name: 'Sam Scale',
    givenName: 'Sam',
    familyName: 'Scale',
    email: 'sam@example.test',
    entitlements: ['contacts:read', 'contacts:write'],
    purpose: 'scale tests: the API can seed thousands of contacts for him',
  },
  ...Array.from({ length: 8 }, (_, i): DemoUser => {
    const n = i + 1;
    return {
      // Stable, distinct subjects: one account per parallel e2e worker.
      sub: `f7a1b5c9-4d6e-4f80-a2b3-00000000000${n}`,
      username: `worker${n}`,
      password: `worker${n}-demo-password`,
      name: `Worker ${n}`,
      givenName: 'Worker',
      familyName: String(n),
      email: `worker${n}@example.test`,
      entitlements: ['contacts:read', 'contacts:write'],
      purpose: `e2e worker ${n}: reads and edits contacts`,
    };
  }),
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
  dora: [{ name: 'Dorothy Vaughan', email: null, phone: null, company: 'NACA' }],
  zoe: [
    { name: 'Åsa Öberg-Ñandú', email: null, phone: null, company: null },
    { name: '王小明', email: 'xiaoming@example.test', phone: '+86 10 5555 0100', company: null },
  ],
  sam: [{ name: 'Sally Ride', email: 'sally@nasa.example', phone: null, company: 'NASA' }],
  ...Object.fromEntries(
    Array.from({ length: 8 }, (_, i) => [
      `worker${i + 1}`,
      [
        {
          name: `Worker ${i + 1} Contact A`,
          email: `a.w${i + 1}@example.test`,
          phone: null,
          company: null,
        },
        {
          name: `Worker ${i + 1} Contact B`,
          email: null,
          phone: `+1 555 010${i + 1}`,
          company: 'Parallel Inc',
        },
      ],
    ]),
  ),
};

export function findDemoUser(username: string): DemoUser | undefined {
  return demoUsers.find((user) => user.username === username);
}
