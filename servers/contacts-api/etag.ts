// Strong entity tags from the row's version counter, and RFC 9110 §13.1.1 If-Match checks.
import { Problem } from './problem.ts';

export function etagOf(version: number): string {
  return `"v${version}"`;
}

/**
 * Updates and deletes must name the version they were based on, so two tabs editing the
 * same contact never silently overwrite each other (lost update). `*` is refused too: it
 * would mean "whatever is there", which is exactly the blind overwrite we prevent.
 */
export function requireIfMatch(header: string | undefined, current: number): void {
  if (header === undefined || header.trim() === '' || header.trim() === '*') {
    throw new Problem(
      428,
      'Send If-Match with the ETag of the contact as you last read it, so a newer change is not overwritten.',
      { errors: [{ field: 'If-Match', message: 'is required (the ETag from GET)' }] },
    );
  }
  // Strong comparison: weak tags (W/"…") never match (RFC 9110 §13.1.1).
  const tags = header.split(',').map((tag) => tag.trim());
  if (!tags.includes(etagOf(current))) {
    throw new Problem(
      412,
      'The contact has changed since you read it. Read it again, then re-apply your change.',
      { headers: { ETag: etagOf(current) } },
    );
  }
}

/** If-None-Match on a GET: true when the client's copy is current (answer 304). */
export function notModified(header: string | undefined, current: number): boolean {
  return matchesIfNoneMatch(header, etagOf(current));
}

/** Weak comparison for If-None-Match (RFC 9110 §13.1.2). */
export function matchesIfNoneMatch(header: string | undefined, tag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((candidate) => {
    const t = candidate.trim();
    return t === '*' || t === tag || t === `W/${tag}`;
  });
}
