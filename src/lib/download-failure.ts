// A lazily loaded part of the app that did not arrive (offline, a deploy replaced the
// hashed files, a proxy refused it). Browsers say so only in their error messages.
const DOWNLOAD_FAILURE =
  /dynamically imported module|Importing a module script failed|error loading dynamically imported module|Unable to preload CSS/i;

export function isDownloadFailure(error: unknown): boolean {
  return error instanceof Error && DOWNLOAD_FAILURE.test(error.message);
}

export const DOWNLOAD_FAILURE_MESSAGE =
  'Part of this app could not be downloaded. Check your connection, then reload the page.';
