// Fastify's validator compiler, on TypeBox's compiler instead of the default Ajv set-up.
// Why: Fastify's Ajv defaults strip unknown properties (removeAdditional) and coerce body
// types ("5" for 5); this API refuses unknown fields and takes bodies exactly as sent.
// Only query strings and path parameters, which are text by nature, are converted.
// Every schema is compiled once, when the route is registered.
import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { type ContactRule, ruleMessage } from '../shared/contact-rules.ts';
import { Problem } from './problem.ts';

export interface FieldError {
  field: string;
  /** Which rule failed, where the schema names one. */
  rule?: ContactRule;
  message: string;
}

export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const validator = Compile(schema);
  const convert = httpPart === 'querystring' || httpPart === 'params';
  const where =
    httpPart === 'params' ? 'path' : httpPart === 'querystring' ? 'query' : (httpPart ?? 'body');
  return (data: unknown) => {
    const value = convert ? convertIntegers(schema, data) : data;
    const errors = errorsOf(validator, value);
    return errors.length > 0 ? { error: invalidFields(where, errors) } : { value };
  };
};

/**
 * Every way `value` breaks `schema`: the schema's rules first, then U+0000 in any string.
 * The body of a request and each item of a batch go through here alike.
 */
export function errorsOf(validator: SchemaValidator, value: unknown): FieldError[] {
  if (!validator.Check(value)) return fieldErrors(validator.Errors(value));
  return nulFields(value, []);
}

/**
 * U+0000 is refused in every string: PostgreSQL text cannot hold it (the insert would fail
 * with a 500), so both engines answer the same 400 instead of storing it on SQLite only.
 */
function nulFields(value: unknown, path: string[]): FieldError[] {
  if (typeof value === 'string') {
    return value.includes('\u0000')
      ? [{ field: path.join('.') || '(root)', rule: 'no-nul', message: ruleMessage('no-nul') }]
      : [];
  }
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => nulFields(item, [...path, key]));
}

/**
 * Query and path values arrive as text: turn plain decimal integers into numbers where the
 * schema wants an integer. Deliberately stricter than generic coercion (which reads "1.5"
 * as 1 and "0x10" as 16); anything else stays text and fails validation.
 */
function convertIntegers(schema: TSchema, data: unknown): unknown {
  const properties = (schema as { properties?: Record<string, { type?: unknown }> }).properties;
  if (!properties || data === null || typeof data !== 'object') return data;
  const converted: Record<string, unknown> = { ...(data as Record<string, unknown>) };
  for (const [name, property] of Object.entries(properties)) {
    const value = converted[name];
    if (
      property.type === 'integer' &&
      typeof value === 'string' &&
      /^(0|[1-9]\d{0,8})$/.test(value)
    ) {
      converted[name] = Number(value);
    }
  }
  return converted;
}

/** What errorsOf needs of a compiled schema (typebox/compile's Validator). */
export interface SchemaValidator {
  Check(value: unknown): boolean;
  Errors(value: unknown): readonly SchemaError[];
}

interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

/** One message per field, in JSON-pointer-ish dotted form (`emails.0`), first error wins. */
export function fieldErrors(errors: readonly SchemaError[]): FieldError[] {
  const byField = new Map<string, FieldError>();
  const set = (field: string, rule: ContactRule) =>
    byField.set(field, { field, rule, message: ruleMessage(rule) });
  for (const error of errors) {
    // `additionalProperties: false` reports a per-property "schema is false" as well.
    if (error.keyword === 'boolean') continue;
    const extra = error.params.additionalProperties;
    if (error.keyword === 'additionalProperties' && Array.isArray(extra)) {
      for (const name of extra) set(join(error.instancePath, String(name)), 'unknown-field');
      continue;
    }
    const required = error.params.requiredProperties;
    if (error.keyword === 'required' && Array.isArray(required)) {
      for (const name of required) set(join(error.instancePath, String(name)), 'required');
      continue;
    }
    const field = join(error.instancePath, '');
    if (!byField.has(field)) byField.set(field, describeError(field, error));
  }
  return [...byField.values()];
}

const RULES: Readonly<Record<string, ContactRule>> = {
  // anyOf (string or null) reports each branch; say what is wanted in one go.
  type: 'type',
  anyOf: 'type',
  pattern: 'format',
  format: 'format',
  minLength: 'min-length',
  maxLength: 'max-length',
  maxItems: 'max-items',
};

function describeError(field: string, error: SchemaError): FieldError {
  const rule = RULES[error.keyword];
  if (!rule) return { field, message: error.message };
  const limit = typeof error.params.limit === 'number' ? error.params.limit : undefined;
  return { field, rule, message: ruleMessage(rule, limit) };
}

function join(pointer: string, name: string): string {
  const path = pointer
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (name) path.push(name);
  return path.join('.') || '(root)';
}

export function invalidFields(where: string, errors: FieldError[]): Problem {
  const names = errors.map((e) => e.field).join(', ');
  return new Problem(400, `The request ${where} is not valid: ${names}.`, {
    errors: errors.map((e) => ({
      ...e,
      field: where === 'body' ? e.field : `${where}.${e.field}`,
    })),
  });
}
