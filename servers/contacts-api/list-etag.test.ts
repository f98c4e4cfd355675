// The list ETag names its owner without saying anything about other users, and is the same
// in every replica that shares the secret.
import { describe, expect, it } from 'vitest';
import { createListEtags } from './list-etag.ts';

const alice = { iss: 'http://localhost:4000', sub: 'alice' };
const bob = { iss: 'http://localhost:4000', sub: 'bob' };

describe('createListEtags', () => {
  it('gives the same tag in two processes that share the secret', () => {
    const [one, two] = [createListEtags('shared'), createListEtags('shared')];
    expect(one(alice, 7)).toBe(two(alice, 7));
    expect(one(alice, 7)).toMatch(/^"p[A-Za-z0-9_-]{22}\.7"$/);
  });

  it('never gives two owners, or two versions, the same tag', () => {
    const tag = createListEtags('shared');
    expect(tag(alice, 1)).not.toBe(tag(bob, 1));
    expect(tag(alice, 1)).not.toBe(tag(alice, 2));
    // The same subject at another issuer is another owner.
    expect(tag(alice, 1)).not.toBe(tag({ ...alice, iss: 'https://other.example' }, 1));
  });

  it('holds neither the subject nor anything a guess without the secret could confirm', () => {
    const tag = createListEtags('shared')(alice, 3);
    expect(tag).not.toContain('alice');
    expect(createListEtags('another secret')(alice, 3)).not.toBe(tag);
  });
});
