import { beforeEach, expect, it } from 'vitest';
import { scopeWithGrantedExtras } from '../auth/sign-in/sign-in.ts';
import {
  declinedWriteRequest,
  noteWriteScope,
  requestWriteAccess,
  writeAccessOf,
} from '../auth/sign-in/write-access.ts';
import { loadDraft, saveDraft } from './drafts.ts';
import { forgetAccountInThisTab } from './forget-account.ts';

const ada = { issuer: 'https://idp.example', subject: 'ada' };
const owner = 'https://idp.example ada';
const noRedirect = { signinRedirect: async () => {}, settings: { scope: 'openid contacts:read' } };
const user = { profile: {} } as Parameters<typeof writeAccessOf>[0];

beforeEach(() => sessionStorage.clear());

it('forgets drafts, editing granted, and editing asked or refused; keeps the rest', async () => {
  saveDraft(ada, 'contact:new', { name: 'Unsaved Ada' });
  noteWriteScope(owner, true, 'contacts:write'); // editing granted: signing in again would ask for it
  await requestWriteAccess(
    noRedirect as never,
    'https://idp.example bob',
    '/contacts',
    'contacts:write',
  );
  declinedWriteRequest(); // bob refused
  sessionStorage.setItem('unrelated', 'kept');
  expect(scopeWithGrantedExtras('openid')).toBe('openid contacts:write');
  expect(writeAccessOf(user, 'https://idp.example bob', [], 'contacts:write')).toBe('declined');

  forgetAccountInThisTab();

  expect(loadDraft(ada, 'contact:new')).toBeNull();
  expect(scopeWithGrantedExtras('openid')).toBe('openid');
  expect(writeAccessOf(user, 'https://idp.example bob', [], 'contacts:write')).toBe('available');
  expect(declinedWriteRequest()).toBeNull(); // no write request is pending any more
  expect(sessionStorage.getItem('unrelated')).toBe('kept');
});
