import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useAuth } from 'react-oidc-context';
import { type DraftOwner, loadDraft, saveDraft } from '../drafts.ts';

type StringFields<T> = { [K in keyof T]: string };

/**
 * The signed-in account's draft of one form (`formKey`, e.g. "contact:new"): the values to
 * start from and a save for every change. The route's action discards it once the server has
 * confirmed the write (never on submit: a refused save must lose nothing). Input typed after
 * the session ended (idle timeout: the tokens are gone) still goes to the draft of the
 * account that was signed in here. Without any signed-in user nothing is read or kept.
 */
export function useDraft<T extends StringFields<T> = Record<string, string>>(formKey: string) {
  const auth = useAuth();
  const issuer = auth.user?.profile.iss;
  const subject = auth.user?.profile.sub;
  const owner: DraftOwner | null = useMemo(
    () => (issuer && subject ? { issuer, subject } : null),
    [issuer, subject],
  );
  const lastOwner = useRef(owner);
  useEffect(() => {
    if (owner) lastOwner.current = owner;
  }, [owner]);
  const initial = useMemo(
    () => (owner ? (loadDraft(owner, formKey) as Partial<T> | null) : null),
    [owner, formKey],
  );
  const save = useCallback(
    (values: T) => {
      const writer = owner ?? lastOwner.current;
      if (writer) saveDraft(writer, formKey, values as Record<keyof T & string, string>);
    },
    [owner, formKey],
  );
  return { initial, save };
}
