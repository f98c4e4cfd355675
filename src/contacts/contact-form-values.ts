// What the contact form holds (plain strings, as typed) and how it becomes the API's input.
import type { FieldError } from './api-types.gen.ts';
import type { Contact, ContactInput } from './contact.ts';

export interface ContactFormValues {
  name: string;
  /** Several separated by commas. */
  emails: string;
  phones: string;
  company: string;
  notes: string;
}

export type ContactFieldErrors = Partial<Record<keyof ContactFormValues, string>>;

export const emptyContactForm: ContactFormValues = {
  name: '',
  emails: '',
  phones: '',
  company: '',
  notes: '',
};

export function formValuesOf(contact: Contact): ContactFormValues {
  return {
    name: contact.name,
    emails: contact.emails.join(', '),
    phones: contact.phones.join(', '),
    company: contact.company ?? '',
    notes: contact.notes ?? '',
  };
}

const list = (text: string) =>
  text
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean);
const orNull = (text: string) => (text.trim() === '' ? null : text.trim());

export function toContactInput(values: ContactFormValues): ContactInput {
  return {
    name: values.name.trim(),
    emails: list(values.emails),
    phones: list(values.phones),
    company: orNull(values.company),
    notes: values.notes.trim() === '' ? null : values.notes,
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** The checks a person can fix before anything is sent; the API checks again. */
export function validateContactForm(values: ContactFormValues): ContactFieldErrors {
  const errors: ContactFieldErrors = {};
  if (values.name.trim() === '') errors.name = 'Enter a name.';
  const badEmail = list(values.emails).find((email) => !EMAIL.test(email));
  if (badEmail) errors.emails = `"${badEmail}" is not an email address.`;
  return errors;
}

/** The API's `emails.0`-style field names, back to the form's fields. */
export function fieldErrorsFromApi(errors: readonly FieldError[]): ContactFieldErrors {
  const result: ContactFieldErrors = {};
  for (const { field, message } of errors) {
    const name = field.split('.')[0] as keyof ContactFormValues;
    if (name in emptyContactForm && !result[name]) result[name] = message;
  }
  return result;
}
