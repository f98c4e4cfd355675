// The one storage interface the routes, seeds and tests use. Two implementations live next
// to it, each with its own SQL: sqlite-store.ts (the embedded default) and postgres-store.ts
// (DATABASE_URL, for several API replicas). Asynchronous because PostgreSQL is.
// Every function takes the owner, the (issuer, subject) pair of the access token, so no
// query can reach another user's rows.
import type { Position } from '../cursor.ts';
import type { Contact, ContactInput } from '../schemas.ts';

export interface Owner {
  iss: string;
  sub: string;
}

export interface ListOptions {
  /** Folded, space-prefixed terms (fold.ts searchTerms); all must match. */
  terms: readonly string[];
  after: Position | undefined;
  limit: number;
}

export interface ListVersion {
  ownerId: number;
  version: number;
}

export interface JsonPage {
  /** The page's stored JSON documents (contact-json.ts), comma-separated, UTF-8; empty if none. */
  items: Buffer;
  next: Position | null;
}

/** Idempotency-Key on create (idempotency.ts): keys are per owner and kept IDEMPOTENCY_TTL_MS. */
export interface IdempotencyKey {
  key: string;
  /** requestHash() of the body: the same key with another body is refused. */
  requestHash: string;
  /** ms since the epoch; keys older than the TTL count as absent. */
  now: number;
}

export type IdempotentCreate =
  /** `body`: the 201 body, as first sent when `replayed`. */
  { outcome: 'created' | 'replayed'; body: string } | { outcome: 'key-reused' };

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** One valid item of a batch import, with its import key (import-key.ts). */
export interface ImportItem {
  input: ContactInput;
  importKey: string;
}

/** What became of one ImportItem: a new contact, or the owner's contact with that key. */
export type ImportOutcome =
  | { status: 'created'; contact: Contact }
  | { status: 'duplicate'; id: string };

/**
 * Per-owner bounds, so one user cannot fill the disk (API_MAX_CONTACTS_PER_USER,
 * API_MAX_IDEMPOTENCY_KEYS_PER_USER). Checked by createContact, createContactOnce and
 * importContacts inside their transaction, exactly on both engines; createContacts (seeds, run
 * by an operator) is not: the seeds (seed.ts, seed-scale.ts) stop at the quota themselves.
 */
export interface StoreQuotas {
  contacts: number;
  /** Keys stored in the last IDEMPOTENCY_TTL_MS (a key is kept a day). */
  idempotencyKeys: number;
}

export const DEFAULT_QUOTAS: StoreQuotas = { contacts: 50_000, idempotencyKeys: 10_000 };

/** A create that would take its owner over one of the StoreQuotas; nothing was written. */
export class QuotaExceededError extends Error {
  readonly code = 'QUOTA_EXCEEDED';
  readonly quota: keyof StoreQuotas;
  readonly limit: number;
  constructor(quota: keyof StoreQuotas, limit: number) {
    super(`the owner has reached the ${quota} quota (${limit})`);
    this.name = 'QuotaExceededError';
    this.quota = quota;
    this.limit = limit;
  }
}

export interface ContactStore {
  /** One page of the owner's contacts in name order (accents and case ignored), then id. */
  listContacts(
    owner: Owner,
    options: ListOptions,
  ): Promise<{ items: Contact[]; next: Position | null }>;
  /** The same page as the HTTP answer needs it: stored JSON bytes. */
  listContactsJson(owner: Owner, options: ListOptions): Promise<JsonPage>;
  getContact(owner: Owner, id: string): Promise<Contact | undefined>;
  /** Throws QuotaExceededError when the owner already has `quotas.contacts`. */
  createContact(owner: Owner, input: ContactInput): Promise<Contact>;
  /**
   * Creates once per key: a second call with the key answers the first body (even when both
   * run at once, on different connections or replicas), or `key-reused` for another body.
   * A new key throws QuotaExceededError when it would exceed either quota.
   */
  createContactOnce(
    owner: Owner,
    input: ContactInput,
    key: IdempotencyKey,
  ): Promise<IdempotentCreate>;
  /**
   * A batch import, all or nothing, once per Idempotency-Key (as createContactOnce): each
   * item whose import key the owner already has (or an earlier item of the batch has) is a
   * `duplicate` of that contact, every other item is created with its key. `render` turns
   * the outcomes, in the items' order, into the response body stored with the key. Throws
   * QuotaExceededError, with nothing written, when the new contacts would not all fit.
   */
  importContacts(
    owner: Owner,
    items: readonly ImportItem[],
    key: IdempotencyKey,
    render: (outcomes: ImportOutcome[]) => string,
  ): Promise<IdempotentCreate>;
  /**
   * Inserts all or none (one transaction); with `onlyIfEmpty`, none when the owner already has
   * contacts (demo seeds, safe when replicas start together). Returns how many were added.
   */
  createContacts(
    owner: Owner,
    inputs: readonly ContactInput[],
    options?: { onlyIfEmpty?: boolean },
  ): Promise<number>;
  /**
   * Replaces every field of `current` and bumps its version, only if the stored row is still
   * at `current.version` (optimistic concurrency); undefined when it changed or went.
   */
  replaceContact(owner: Owner, current: Contact, input: ContactInput): Promise<Contact | undefined>;
  /** Deletes the contact only if it is still at `version`; false when it changed or went. */
  deleteContact(owner: Owner, id: string, version: number): Promise<boolean>;
  countContacts(owner: Owner): Promise<number>;
  /**
   * The owner's number and list version (bumped by every write of one of the owner's
   * contacts, in any process); undefined for an owner who never had a contact.
   */
  listVersion(owner: Owner): Promise<ListVersion | undefined>;
  /** Throws when the database cannot answer (GET /ready). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A new contact's stored fields. */
export function newContact(id: string, input: ContactInput, now: string): Contact {
  return { id, ...fields(input), version: 1, createdAt: now, updatedAt: now };
}

/** `current` replaced by `input`, one version on. */
export function replacedContact(current: Contact, input: ContactInput, now: string): Contact {
  return { ...current, ...fields(input), version: current.version + 1, updatedAt: now };
}

/** PUT semantics: an absent optional field is cleared, not kept. */
function fields(input: ContactInput) {
  return {
    name: input.name,
    emails: input.emails ?? [],
    phones: input.phones ?? [],
    company: input.company ?? null,
    notes: input.notes ?? null,
  };
}

/** A contact row as both engines store it (emails and phones as JSON text). */
export interface ContactRow {
  id: string;
  name: string;
  emails: string;
  phones: string;
  company: string | null;
  notes: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export const CONTACT_COLUMNS =
  'id, name, emails, phones, company, notes, version, created_at, updated_at';

export function toContact(row: ContactRow): Contact {
  return {
    id: row.id,
    name: row.name,
    emails: JSON.parse(row.emails) as string[],
    phones: JSON.parse(row.phones) as string[],
    company: row.company,
    notes: row.notes,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
