// The contact create/edit form. Its values start from `initialValues` and every change is
// reported through `onChange` (all values at once), so whoever renders it can keep unsaved
// input (a draft) and give it back later as initialValues. It knows nothing of routes or
// the API: `onSubmit` gets values that passed the local checks.
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import {
  type ContactFieldErrors,
  type ContactFormValues,
  validateContactForm,
} from './contact-form-values.ts';

export interface ContactFormProps {
  initialValues: ContactFormValues;
  onChange?: (values: ContactFormValues) => void;
  onSubmit: (values: ContactFormValues) => void;
  /** Errors from the server, by field; shown next to the field like local ones. */
  fieldErrors?: ContactFieldErrors;
  submitLabel: string;
  pending?: boolean;
  /** Puts the cursor in the first field when the form appears. */
  focusFirstField?: boolean;
  /** Extra actions beside the submit button (e.g. a Cancel link). */
  children?: ReactNode;
}

const FIELDS: readonly {
  name: keyof ContactFormValues;
  label: string;
  hint?: string;
  type?: string;
  autoComplete?: string;
}[] = [
  { name: 'name', label: 'Name', autoComplete: 'off' },
  { name: 'emails', label: 'Emails', hint: 'Separate several with commas.', type: 'text' },
  { name: 'phones', label: 'Phones', hint: 'Separate several with commas.', type: 'tel' },
  { name: 'company', label: 'Company' },
  { name: 'notes', label: 'Notes' },
];

export function ContactForm(props: ContactFormProps) {
  const { initialValues, onChange, onSubmit, submitLabel, pending = false } = props;
  const [values, setValues] = useState(initialValues);
  const [localErrors, setLocalErrors] = useState<ContactFieldErrors>({});
  const formRef = useRef<HTMLFormElement>(null);
  const id = useId();
  const errors = { ...props.fieldErrors, ...localErrors };
  const focusFirst = props.focusFirstField ?? false;
  useEffect(() => {
    if (focusFirst) formRef.current?.querySelector<HTMLElement>('input, textarea')?.focus();
  }, [focusFirst]);

  const change = (name: keyof ContactFormValues, value: string) => {
    const next = { ...values, [name]: value };
    setValues(next);
    if (localErrors[name]) setLocalErrors({ ...localErrors, [name]: undefined });
    onChange?.(next);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validateContactForm(values);
    setLocalErrors(found);
    const first = FIELDS.find((field) => found[field.name]);
    if (first) {
      formRef.current?.querySelector<HTMLElement>(`[name="${first.name}"]`)?.focus();
      return;
    }
    onSubmit(values);
  };

  return (
    <form ref={formRef} className="contact-form" noValidate onSubmit={submit}>
      {FIELDS.map((field) => {
        const inputId = `${id}-${field.name}`;
        const error = errors[field.name];
        const describedBy =
          [field.hint ? `${inputId}-hint` : '', error ? `${inputId}-error` : '']
            .filter(Boolean)
            .join(' ') || undefined;
        const common = {
          id: inputId,
          name: field.name,
          value: values[field.name],
          'aria-invalid': error ? true : undefined,
          'aria-describedby': describedBy,
          onChange: (event: { currentTarget: { value: string } }) =>
            change(field.name, event.currentTarget.value),
        };
        return (
          <div className="field" key={field.name}>
            <label htmlFor={inputId}>
              {field.label}
              {field.name === 'name' ? <span aria-hidden="true"> *</span> : null}
            </label>
            {field.name === 'notes' ? (
              <textarea {...common} rows={3} />
            ) : (
              <input
                {...common}
                type={field.type ?? 'text'}
                autoComplete={field.autoComplete}
                required={field.name === 'name'}
              />
            )}
            {field.hint ? (
              <p id={`${inputId}-hint`} className="hint">
                {field.hint}
              </p>
            ) : null}
            {error ? (
              <p id={`${inputId}-error`} className="field-error">
                {error}
              </p>
            ) : null}
          </div>
        );
      })}
      <div className="actions">
        <button type="submit" className="primary" disabled={pending}>
          {pending ? 'Saving…' : submitLabel}
        </button>
        {props.children}
      </div>
    </form>
  );
}
