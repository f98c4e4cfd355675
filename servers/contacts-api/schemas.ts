// The API's JSON Schemas (TypeBox builds plain JSON Schema). The same objects validate
// requests, serialise responses and make up /openapi.json, from which the SPA's types are
// generated: one definition, no drift. A `title` names a schema for the type generator.
import { Type } from 'typebox';
import {
  CONTACT_LIMITS,
  EMAIL_PATTERN,
  NAME_PATTERN,
  PHONE_PATTERN,
} from '../shared/contact-rules.ts';

export const LIMITS = {
  ...CONTACT_LIMITS,
  pageDefault: 50,
  pageMax: 200,
  query: 200,
} as const;

/** Request bodies above this are refused with 413: one contact is far smaller. */
export const BODY_LIMIT = 16 * 1024;

const nullableString = (maxLength: number, description: string) =>
  Type.Union([Type.String({ maxLength }), Type.Null()], { description });

// The rules themselves live in shared/contact-rules.ts, with the SPA importer's own check.
const Email = Type.String({ minLength: 3, maxLength: LIMITS.email, pattern: EMAIL_PATTERN });
const Phone = Type.String({ minLength: 1, maxLength: LIMITS.phone, pattern: PHONE_PATTERN });

export const ContactInput = Type.Object(
  {
    // At least one non-space character; any script; kept as sent.
    name: Type.String({ minLength: 1, maxLength: LIMITS.name, pattern: NAME_PATTERN }),
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
  {
    field: Type.String({ description: 'Dotted path in the request: `name`, `emails.1`.' }),
    rule: Type.Optional(
      Type.String({
        description:
          'Which rule failed (shared/contact-rules.ts ContactRule): required, type, min-length, max-length, max-items, format, unknown-field, no-nul.',
      }),
    ),
    message: Type.String(),
  },
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

/** Most items in one POST /contacts/batch: a 10,000-row import is 100 requests. */
export const BATCH_MAX_ITEMS = 100;

export const ContactBatch = Type.Object(
  {
    items: Type.Array(ContactInput, {
      minItems: 1,
      maxItems: BATCH_MAX_ITEMS,
      description:
        'Each item is checked on its own, by the rules of a single create: a bad one is reported in its result, not as a 400.',
    }),
  },
  { title: 'ContactBatch', additionalProperties: false },
);

/** What validates a batch's body: the envelope only; each item is checked by the route. */
export const ContactBatchEnvelope = Type.Object(
  { items: Type.Array(Type.Unknown(), { minItems: 1, maxItems: BATCH_MAX_ITEMS }) },
  { additionalProperties: false },
);

const ImportCreated = Type.Object(
  { status: Type.Literal('created'), contact: Contact },
  { title: 'ImportCreated', additionalProperties: false },
);
const ImportDuplicate = Type.Object(
  {
    status: Type.Literal('duplicate'),
    id: Type.String({ description: 'The contact imported before from the same card or row.' }),
  },
  {
    title: 'ImportDuplicate',
    description: 'You already have a contact imported from this very item: nothing was written.',
    additionalProperties: false,
  },
);
const ImportInvalid = Type.Object(
  { status: Type.Literal('invalid'), errors: Type.Array(FieldError) },
  {
    title: 'ImportInvalid',
    description: 'The item breaks a rule of a single create (`errors`): nothing was written.',
    additionalProperties: false,
  },
);

export const ContactBatchResult = Type.Object(
  {
    results: Type.Array(Type.Union([ImportCreated, ImportDuplicate, ImportInvalid]), {
      description: "One per item, in the items' order.",
    }),
    created: Type.Integer(),
    duplicates: Type.Integer(),
    invalid: Type.Integer(),
  },
  { title: 'ContactBatchResult', additionalProperties: false },
);

export type ContactInput = Type.Static<typeof ContactInput>;
export type ContactBatchResult = Type.Static<typeof ContactBatchResult>;
export type Contact = Type.Static<typeof Contact>;
export type ContactPage = Type.Static<typeof ContactPage>;
export type ListQuery = Type.Static<typeof ListQuery>;
export type ContactParams = Type.Static<typeof ContactParams>;
