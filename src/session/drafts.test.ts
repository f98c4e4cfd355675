import { beforeEach, describe, expect, it } from 'vitest';
import { clearAllDrafts, discardDraft, loadDraft, saveDraft } from './drafts.ts';

const alice = { issuer: 'https://idp.example', subject: 'alice' };
const aliceElsewhere = { issuer: 'https://other.example', subject: 'alice' };
const bob = { issuer: 'https://idp.example', subject: 'bob' };

describe('drafts', () => {
  beforeEach(() => sessionStorage.clear());

  it('gives a draft back to the account that wrote it', () => {
    saveDraft(alice, 'contact:new', { name: 'Ada', email: 'ada@example.test' });
    expect(loadDraft(alice, 'contact:new')).toEqual({ name: 'Ada', email: 'ada@example.test' });
  });

  it('never shows a draft to another account, even with the same subject elsewhere', () => {
    saveDraft(alice, 'contact:new', { name: 'Ada' });
    expect(loadDraft(bob, 'contact:new')).toBeNull();
    expect(loadDraft(aliceElsewhere, 'contact:new')).toBeNull();
  });

  it('keeps forms apart, and discards one', () => {
    saveDraft(alice, 'contact:new', { name: 'Ada' });
    saveDraft(alice, 'contact:42', { name: 'Grace' });
    discardDraft(alice, 'contact:new');
    expect(loadDraft(alice, 'contact:new')).toBeNull();
    expect(loadDraft(alice, 'contact:42')).toEqual({ name: 'Grace' });
  });

  it('a deliberate sign-out deletes every draft', () => {
    saveDraft(alice, 'contact:new', { name: 'Ada' });
    saveDraft(bob, 'contact:new', { name: 'Bo' });
    sessionStorage.setItem('unrelated', 'kept');
    clearAllDrafts();
    expect(loadDraft(alice, 'contact:new')).toBeNull();
    expect(loadDraft(bob, 'contact:new')).toBeNull();
    expect(sessionStorage.getItem('unrelated')).toBe('kept');
  });

  it('ignores a tampered draft instead of crashing the form', () => {
    saveDraft(alice, 'contact:new', { name: 'Ada' });
    const key = Object.keys(sessionStorage)[0] ?? '';
    sessionStorage.setItem(key, '[1,2');
    expect(loadDraft(alice, 'contact:new')).toBeNull();
    sessionStorage.setItem(key, '{"name": 5, "email": "x@example.test"}');
    expect(loadDraft(alice, 'contact:new')).toEqual({ email: 'x@example.test' });
  });
});
