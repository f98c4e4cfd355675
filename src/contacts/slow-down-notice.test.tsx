import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createSlowDown } from './slow-down.ts';
import { SlowDownNotice } from './slow-down-notice.tsx';

describe('SlowDownNotice', () => {
  it('tells the user while a request waits out a 429, and goes quiet after', () => {
    const slowDown = createSlowDown();
    render(<SlowDownNotice slowDown={slowDown} />);
    expect(screen.getByRole('status')).toHaveTextContent('');
    act(() => slowDown.set(3));
    expect(screen.getByRole('status')).toHaveTextContent(
      'The contacts service asked this app to slow down. Trying again in 3 s',
    );
    act(() => slowDown.set(0));
    expect(screen.getByRole('status')).toHaveTextContent('');
  });
});
