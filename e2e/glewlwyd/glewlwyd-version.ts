// The Glewlwyd the suite was written against (2.7.x, Debian's package): what the
// prerequisites script installs when it is missing, and what the global setup accepts.
// Another version may configure, log in and log out differently (glewlwyd-admin.ts,
// glewlwyd-pages.ts): it fails with one line naming both instead of half-working.

/** For scripts/install-debian-packages.sh: the package, with apt's version wildcard. */
export const GLEWLWYD_PACKAGE = 'glewlwyd=2.7.*';

/** `glewlwyd --version` of a Glewlwyd the suite accepts. */
export const GLEWLWYD_VERSION = /^2\.7\.\d+$/;
