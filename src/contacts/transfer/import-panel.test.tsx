// The import screen as a person uses it, with the API faked at the network: a wrong file gets
// a clear message; a good one a preview (nothing sent yet), then the import and its report.
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ImportPanel } from './import-panel.tsx';

const vcf = (cards: string[]) =>
  new File(
    [cards.map((c) => `BEGIN:VCARD\r\nVERSION:3.0\r\n${c}\r\nEND:VCARD`).join('\r\n')],
    'x.vcf',
  );

function setUp() {
  const fetch = vi.fn(async (_url: string, init?: RequestInit) => {
    const { items } = JSON.parse(String(init?.body)) as { items: unknown[] };
    const results = items.map(() => ({ status: 'created', contact: {} }));
    return new Response(
      JSON.stringify({ results, created: items.length, duplicates: 0, invalid: 0 }),
    );
  });
  const onImported = vi.fn();
  render(<ImportPanel api={{ fetch, baseUrl: 'http://api.test' }} onImported={onImported} />);
  return { fetch, onImported, input: screen.getByLabelText('Choose a vCard or CSV file') };
}

describe('ImportPanel', () => {
  it('says what is wrong with a file it cannot read', async () => {
    const { input, fetch } = setUp();
    await userEvent.upload(input, new File(['just some words'], 'notes.txt'));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'This is not a contacts file this page can read',
    );
    expect(fetch).not.toHaveBeenCalled();
  });

  it('previews before sending, then imports and reports', async () => {
    const { input, fetch, onImported } = setUp();
    await userEvent.upload(
      input,
      vcf(['FN:Ada Lovelace\r\nEMAIL:ada@example.org', 'EMAIL:x@y.z', 'FN:Grace Hopper']),
    );
    expect(
      await screen.findByText(
        'x.vcf: 2 contacts ready to import, 1 will be skipped (listed below).',
      ),
    ).toBeVisible();
    expect(screen.getByRole('cell', { name: 'Ada Lovelace' })).toBeVisible();
    expect(
      screen.getByText('card 2 (line 6): name must not have fewer than 1 characters (min-length)'),
    ).toBeVisible();
    expect(fetch).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Import 2 contacts' }));
    expect(
      await screen.findByText('2 added, 0 already there (imported before), 1 skipped.'),
    ).toBeVisible();
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(onImported).toHaveBeenCalledTimes(1);
  });
});
