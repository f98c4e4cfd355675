import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ContactForm } from './contact-form.tsx';
import { emptyContactForm, toContactInput } from './contact-form-values.ts';

describe('ContactForm', () => {
  it('starts from initialValues and reports every change with all values', async () => {
    const onChange = vi.fn();
    render(
      <ContactForm
        initialValues={{ ...emptyContactForm, name: 'Ada', notes: 'draft' }}
        onChange={onChange}
        onSubmit={vi.fn()}
        submitLabel="Save"
      />,
    );
    expect(screen.getByLabelText('Notes')).toHaveValue('draft');
    await userEvent.type(screen.getByLabelText('Company'), 'X');
    expect(onChange).toHaveBeenLastCalledWith({
      ...emptyContactForm,
      name: 'Ada',
      notes: 'draft',
      company: 'X',
    });
  });

  it('shows errors next to the fields and does not submit', async () => {
    const onSubmit = vi.fn();
    render(<ContactForm initialValues={emptyContactForm} onSubmit={onSubmit} submitLabel="Save" />);
    await userEvent.type(screen.getByLabelText('Emails'), 'not-an-address');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(onSubmit).not.toHaveBeenCalled();
    const name = screen.getByRole('textbox', { name: /Name/ });
    expect(name).toHaveAccessibleDescription('Enter a name.');
    expect(name).toHaveFocus();
    expect(screen.getByLabelText('Emails')).toHaveAccessibleDescription(
      /"not-an-address" is not an email address/,
    );
  });

  it('shows the server’s field errors', () => {
    render(
      <ContactForm
        initialValues={emptyContactForm}
        fieldErrors={{ phones: 'is too long' }}
        onSubmit={vi.fn()}
        submitLabel="Save"
      />,
    );
    expect(screen.getByLabelText('Phones')).toHaveAttribute('aria-invalid', 'true');
  });
});

describe('toContactInput', () => {
  it('splits lists, trims and turns blanks into null', () => {
    expect(
      toContactInput({
        name: ' Ada ',
        emails: 'a@x.example, b@x.example,',
        phones: '',
        company: ' ',
        notes: '',
      }),
    ).toEqual({
      name: 'Ada',
      emails: ['a@x.example', 'b@x.example'],
      phones: [],
      company: null,
      notes: null,
    });
  });
});
