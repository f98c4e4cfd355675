import { ErrorResponse, type User, type UserManager } from 'oidc-client-ts';
import { describe, expect, it, vi } from 'vitest';
import { completeSignIn } from './complete-sign-in.ts';

const origin = window.location.origin;
let counter = 0;
const callbackUrl = (query: string) => `${origin}/callback?${query}&n=${++counter}`;

function fakeUserManager(result: Partial<User> | Error) {
  return {
    signinCallback: vi.fn(async () => {
      if (result instanceof Error) throw result;
      return result as User;
    }),
  } as unknown as UserManager & { signinCallback: ReturnType<typeof vi.fn> };
}

describe('completeSignIn', () => {
  it('returns the same-origin path saved before the redirect', async () => {
    const um = fakeUserManager({ state: { returnTo: '/contacts?q=ada' } });
    await expect(completeSignIn(um, callbackUrl('code=c&state=s'))).resolves.toBe(
      '/contacts?q=ada',
    );
  });

  it.each([{ returnTo: 'https://evil.example/' }, { returnTo: '//evil.example' }, undefined, 'x'])(
    'goes home instead of to an unsafe saved path (%j)',
    async (state) => {
      const um = fakeUserManager({ state });
      await expect(completeSignIn(um, callbackUrl('code=c&state=s'))).resolves.toBe('/');
    },
  );

  it('exchanges each callback URL once, however often it is asked', async () => {
    const um = fakeUserManager({ state: { returnTo: '/contacts' } });
    const url = callbackUrl('code=c&state=s');
    await Promise.all([completeSignIn(um, url), completeSignIn(um, url)]);
    await completeSignIn(um, url);
    expect(um.signinCallback).toHaveBeenCalledOnce();
  });

  it('explains a denied consent', async () => {
    const um = fakeUserManager(new ErrorResponse({ error: 'access_denied' }));
    const error = await completeSignIn(um, callbackUrl('error=access_denied&state=s')).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'access_denied' });
  });

  it('explains an unknown or replayed state', async () => {
    const um = fakeUserManager(new Error('No matching state found in storage'));
    const error = await completeSignIn(um, callbackUrl('code=c&state=forged')).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'invalid_response' });
  });
});

describe('completeSignIn without a user', () => {
  it('refuses a sign-in response that brought no user, and signs no one in', async () => {
    const um = fakeUserManager(undefined as unknown as Partial<User>);
    const signedIn = vi.fn();
    const error = await completeSignIn(um, callbackUrl('code=c&state=s'), signedIn).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'unknown',
      detail: 'No user came back from the sign-in response',
    });
    expect(signedIn).not.toHaveBeenCalled();
  });
});
