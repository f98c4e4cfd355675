import { describe, expect, it } from 'vitest';
import { isWithinApiBase } from './api-base.ts';

describe('isWithinApiBase', () => {
  it.each([
    ['https://api.example/contacts', 'https://api.example', true],
    ['https://api.example/v1/contacts?q=a', 'https://api.example/v1', true],
    ['https://api.example/v1', 'https://api.example/v1/', true],
    ['https://api.example/v10/contacts', 'https://api.example/v1', false],
    ['https://api.example/admin', 'https://api.example/v1', false],
    ['https://api.example/v1/../admin', 'https://api.example/v1', false],
    ['https://api.example.evil/contacts', 'https://api.example', false],
    ['http://api.example/contacts', 'https://api.example', false],
    ['not a url', 'https://api.example', false],
  ])('%s under %s: %s', (url, base, expected) => {
    expect(isWithinApiBase(url, base)).toBe(expected);
  });
});
