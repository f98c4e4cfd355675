// The API's JSON Schemas (TypeBox builds plain JSON Schema). The same objects validate
// requests, serialise responses and make up /openapi.json, from which the SPA's types are
// generated: one definition, no drift. A `title` names a schema for the type generator.
import { Type } from 'typebox';

export const LIMITS = {
  name: 200,
  company: 200,
  notes: 2000,
  emails: 10,
  email: 254, // RFC 5321 path limit
  phones: 10,
  phone: 40,
  pageDefault: 50,
  pageMax: 200,
  query: 200,
} as const;

const nullableString = (maxLength: number, description: string) =>
  Type.Union([Type.String({ maxLength }), Type.Null()], { description });

// Deliberately loose: one @ with something on both sides, no spaces. Stricter checks reject
// real (internationalised) addresses; delivery is the only true test.
const Email = Type.String({
  minLength: 3,
  maxLength: LIMITS.email,
  pattern: '^[^\\s@]+@[^\\s@]+$',
});
// Digits with the usual separators, an optional leading + and an optional extension.
const Phone = Type.String({
  minLength: 1,
  maxLength: LIMITS.phone,
  pattern: '^\\+?[0-9][0-9 ().\\-/]*((x|ext\\.?) ?[0-9]+)?$',
});

export const ContactInput = Type.Object(
  {
    // At least one non-space character; any script; kept as sent.
    name: Type.String({ minLength: 1, maxLength: LIMITS.name, pattern: '\\S' }),
    emails: Type.Optional(Type.Array(Email, { maxItems: LIMITS.emails })),
    phones: Type.Optional(Type.Array(Phone, { maxItems: LIMITS.phones })),
    company: Type.Optional(nullableString(LIMITS.company, 'Organisation, or null.')),
    notes: Type.Optional(nullableString(LIMITS.notes, 'Free text, or null.')),
  },
  {
    title: 'ContactInput',
    description: 'A contact as sent on create and update (PUT replaces every field).',
    additionalProperties: false,
  },
);

export const Contact = Type.Object(
  {
    id: Type.String({ description: 'Opaque identifier.' }),
    name: Type.String(),
    emails: Type.Array(Type.String()),
    phones: Type.Array(Type.String()),
    company: Type.Union([Type.String(), Type.Null()]),
    notes: Type.Union([Type.String(), Type.Null()]),
    version: Type.Integer({ description: 'Starts at 1, +1 per update; the ETag is "v<version>".' }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { title: 'Contact', additionalProperties: false },
);

export const ContactPage = Type.Object(
  {
    items: Type.Array(Contact),
    nextCursor: Type.Union([Type.String(), Type.Null()], {
      description: 'Pass as `cursor` for the next page; null on the last page.',
    }),
  },
  { title: 'ContactPage', additionalProperties: false },
);

export const ListQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({
        maxLength: LIMITS.query,
        description:
          'Words that must each start a word of the name, emails, phones or company; case and accents ignored.',
      }),
    ),
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: LIMITS.pageMax, default: LIMITS.pageDefault }),
    ),
    cursor: Type.Optional(Type.String({ maxLength: 1000, description: 'From `nextCursor`.' })),
  },
  { title: 'ListContactsQuery', additionalProperties: false },
);

export const ContactParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);

export const FieldError = Type.Object(
  { field: Type.String(), message: Type.String() },
  { title: 'FieldError' },
);

export const QuotaLimit = Type.Object(
  { name: Type.String(), limit: Type.Integer() },
  {
    title: 'QuotaLimit',
    description: 'The per-user limit the request would have exceeded (409).',
  },
);

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    error: Type.Optional(
      Type.String({ description: 'The OAuth error code of the WWW-Authenticate challenge.' }),
    ),
    errors: Type.Optional(Type.Array(FieldError)),
    quota: Type.Optional(QuotaLimit),
  },
  { title: 'Problem', description: 'RFC 9457 problem details.' },
);

export type ContactInput = Type.Static<typeof ContactInput>;
export type Contact = Type.Static<typeof Contact>;
export type ContactPage = Type.Static<typeof ContactPage>;
export type ListQuery = Type.Static<typeof ListQuery>;
export type ContactParams = Type.Static<typeof ContactParams>;
