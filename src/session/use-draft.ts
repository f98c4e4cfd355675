import { useCallback, useMemo } from 'react';
import { useAuth } from 'react-oidc-context';
import { type DraftOwner, loadDraft, saveDraft } from './drafts.ts';

type StringFields<T> = { [K in keyof T]: string };

/**
 * The signed-in account's draft of one form (`formKey`, e.g. "contact:new"): the values to
 * start from and a save for every change. The route's action discards it once the server has
 * confirmed the write (never on submit: a refused save must lose nothing). Without a
 * signed-in user nothing is read or kept.
 */
export function useDraft<T extends StringFields<T> = Record<string, string>>(formKey: string) {
  const auth = useAuth();
  const issuer = auth.user?.profile.iss;
  const subject = auth.user?.profile.sub;
  const owner: DraftOwner | null = useMemo(
    () => (issuer && subject ? { issuer, subject } : null),
    [issuer, subject],
  );
  const initial = useMemo(
    () => (owner ? (loadDraft(owner, formKey) as Partial<T> | null) : null),
    [owner, formKey],
  );
  const save = useCallback(
    (values: T) => {
      if (owner) saveDraft(owner, formKey, values as Record<keyof T & string, string>);
    },
    [owner, formKey],
  );
  return { initial, save };
}
