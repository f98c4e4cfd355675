import type { User } from 'oidc-client-ts';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  declinedWriteRequest,
  noteWriteScope,
  requestWriteAccess,
  settleWriteRequestAnswer,
  writeAccessOf,
} from './write-access.ts';

const owner = 'https://idp.example ada';
const userWith = (scope: string, state: unknown = undefined, entitlements?: string[]) =>
  ({ scope, state, profile: entitlements ? { entitlements } : {} }) as unknown as User;
const scopesOf = (user: User) => (user.scope ?? '').split(' ').filter(Boolean);
const WRITE = 'contacts:write';
const accessOf = (user: User) => writeAccessOf(user, owner, scopesOf(user), WRITE);
// Leaves for the provider (a stand-in that goes nowhere), as "Allow editing" does.
const askForEditing = () =>
  requestWriteAccess(
    { signinRedirect: async () => {}, settings: { scope: 'openid contacts:read' } } as never,
    owner,
    '/contacts/7/edit',
    WRITE,
  );
const answer = (scope: string) =>
  userWith(scope, { returnTo: '/contacts/7/edit', extraScopes: ['contacts:write'] });

beforeEach(() => sessionStorage.clear());

describe('write access', () => {
  it('is granted with the scope, and never offered to an account not entitled to it', () => {
    expect(accessOf(userWith('openid contacts:read contacts:write'))).toBe('granted');
    expect(accessOf(userWith('openid contacts:read', undefined, ['contacts:read']))).toBe(
      'not_entitled',
    );
    expect(accessOf(userWith('openid contacts:read'))).toBe('available');
  });

  it('allowed at the provider: granted, nothing pending', async () => {
    await askForEditing();
    const user = answer('openid contacts:read contacts:write');
    settleWriteRequestAnswer(user, owner, WRITE);
    noteWriteScope(owner, true, WRITE);
    expect(accessOf(user)).toBe('granted');
    expect(accessOf(userWith('openid contacts:read'))).toBe('available');
  });

  it('unticked at the provider: declined, and said so until asked again', async () => {
    await askForEditing();
    settleWriteRequestAnswer(answer('openid contacts:read'), owner, WRITE);
    expect(accessOf(userWith('openid contacts:read'))).toBe('declined');
  });

  it('denied at the provider (access_denied): declined, back where the user was', async () => {
    await askForEditing();
    expect(declinedWriteRequest()).toBe('/contacts/7/edit');
    expect(accessOf(userWith('openid contacts:read'))).toBe('declined');
  });

  it('cut short (no answer came back): interrupted, not declined', async () => {
    await askForEditing();
    // A page opened without the answer, or a sign-in that answers something else.
    noteWriteScope(owner, false, WRITE);
    settleWriteRequestAnswer(userWith('openid contacts:read', { returnTo: '/' }), owner, WRITE);
    expect(accessOf(userWith('openid contacts:read'))).toBe('interrupted');
  });

  it("goes by the provider's own name for editing (its config's contactsScopes.write)", async () => {
    const write = 'api://contacts-api/Contacts.Write';
    const leave = vi.fn(async (_args: { scope: string }) => {});
    await requestWriteAccess(
      {
        signinRedirect: leave,
        settings: { scope: 'openid api://contacts-api/Contacts.Read' },
      } as never,
      owner,
      '/contacts',
      write,
    );
    expect(leave.mock.calls[0]?.[0].scope.split(' ')).toContain(write);
    const user = userWith(`openid ${write}`, { returnTo: '/contacts', extraScopes: [write] });
    settleWriteRequestAnswer(user, owner, write);
    expect(writeAccessOf(user, owner, scopesOf(user), write)).toBe('granted');
    expect(writeAccessOf(user, owner, scopesOf(user), 'contacts:write')).not.toBe('granted');
  });
});
