// The entity tag of every list and search page of one owner at one list version (store.ts
// listVersion). It names the owner by an HMAC of the token's (issuer, subject) under the
// server secret: two users' tags never coincide, yet a tag says nothing about anyone else
// (the database's sequential owner number, once in it, counted the API's users and told
// each user their rank). Replicas that share the secret give the same tag for the same list,
// so a 304 holds across them; a process with another secret only costs a full answer.
import { createHmac } from 'node:crypto';
import type { Owner } from './store/store.ts';

export type ListEtag = (owner: Owner, listVersion: number) => string;

/** 128 bits of the MAC: collisions between owners are out of reach, tags stay short. */
const OWNER_TAG_BYTES = 16;

export function createListEtags(serverSecret: string | Uint8Array): ListEtag {
  // A key of its own, derived from the shared secret, so these MACs can never be confused
  // with the DPoP nonces made with the same secret.
  const key = createHmac('sha256', serverSecret).update('contacts list etag v1').digest();
  return (owner, listVersion) => {
    // The NUL cannot occur in an issuer URL, so no two (issuer, subject) pairs join alike.
    const mac = createHmac('sha256', key).update(`${owner.iss}\u0000${owner.sub}`).digest();
    return `"p${mac.subarray(0, OWNER_TAG_BYTES).toString('base64url')}.${listVersion}"`;
  };
}
