// Fastify's validator compiler, on TypeBox's compiler instead of the default Ajv set-up.
// Why: Fastify's Ajv defaults strip unknown properties (removeAdditional) and coerce body
// types ("5" for 5); this API refuses unknown fields and takes bodies exactly as sent.
// Only query strings and path parameters, which are text by nature, are converted.
// Every schema is compiled once, when the route is registered.
import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Problem } from './problem.ts';

export interface FieldError {
  field: string;
  message: string;
}

export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const validator = Compile(schema);
  const convert = httpPart === 'querystring' || httpPart === 'params';
  const where =
    httpPart === 'params' ? 'path' : httpPart === 'querystring' ? 'query' : (httpPart ?? 'body');
  return (data: unknown) => {
    const value = convert ? convertIntegers(schema, data) : data;
    if (!validator.Check(value)) {
      return { error: invalidFields(where, fieldErrors(validator.Errors(value))) };
    }
    const nul = nulFields(value, []);
    if (nul.length > 0) return { error: invalidFields(where, nul) };
    return { value };
  };
};

/**
 * U+0000 is refused in every string: PostgreSQL text cannot hold it (the insert would fail
 * with a 500), so both engines answer the same 400 instead of storing it on SQLite only.
 */
function nulFields(value: unknown, path: string[]): FieldError[] {
  if (typeof value === 'string') {
    return value.includes('\u0000')
      ? [{ field: path.join('.') || '(root)', message: 'must not contain U+0000' }]
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

interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

/** One message per field, in JSON-pointer-ish dotted form (`emails.0`), first error wins. */
export function fieldErrors(errors: readonly SchemaError[]): FieldError[] {
  const byField = new Map<string, string>();
  for (const error of errors) {
    // `additionalProperties: false` reports a per-property "schema is false" as well.
    if (error.keyword === 'boolean') continue;
    const extra = error.params.additionalProperties;
    if (error.keyword === 'additionalProperties' && Array.isArray(extra)) {
      for (const name of extra) {
        byField.set(join(error.instancePath, String(name)), 'is not a known field');
      }
      continue;
    }
    const required = error.params.requiredProperties;
    if (error.keyword === 'required' && Array.isArray(required)) {
      for (const name of required)
        byField.set(join(error.instancePath, String(name)), 'is required');
      continue;
    }
    const field = join(error.instancePath, '');
    if (!byField.has(field)) byField.set(field, describeError(error));
  }
  return [...byField].map(([field, message]) => ({ field, message }));
}

function describeError(error: SchemaError): string {
  // anyOf (string or null) reports each branch; say what is wanted in one go.
  if (error.keyword === 'type' || error.keyword === 'anyOf') return 'has the wrong type';
  if (error.keyword === 'pattern' || error.keyword === 'format') return 'is not in a valid form';
  return error.message;
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
