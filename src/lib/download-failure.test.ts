import { describe, expect, it } from 'vitest';
import { isDownloadFailure } from './download-failure.ts';

describe('isDownloadFailure', () => {
  it.each([
    'Failed to fetch dynamically imported module: https://app.example/assets/auth-layer-x.js', // Chromium
    'error loading dynamically imported module: https://app.example/assets/a.js', // Firefox
    'Importing a module script failed.', // Safari
    'Unable to preload CSS for /assets/index.css', // Vite's preload helper
  ])('recognises %s', (message) => {
    expect(isDownloadFailure(new TypeError(message))).toBe(true);
  });

  it.each([
    new TypeError('Failed to fetch'), // a fetch to the IdP or the API, not the app's code
    new Error('issuer mismatch'),
    'Failed to fetch dynamically imported module', // not an Error
    null,
  ])('leaves other failures alone: %s', (error) => {
    expect(isDownloadFailure(error)).toBe(false);
  });
});
