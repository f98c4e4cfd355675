import { useCallback, useMemo } from 'react';
import { useAuth } from 'react-oidc-context';
import { type DraftOwner, type DraftValues, discardDraft, loadDraft, saveDraft } from './drafts.ts';

/**
 * The signed-in account's draft of one form (`formKey`, e.g. "contact:new"): the values to
 * start from, a save for every change, and a discard once the form is submitted or
 * cancelled. Without a signed-in user nothing is read or kept.
 */
export function useDraft(formKey: string) {
  const auth = useAuth();
  const issuer = auth.user?.profile.iss;
  const subject = auth.user?.profile.sub;
  const owner: DraftOwner | null = useMemo(
    () => (issuer && subject ? { issuer, subject } : null),
    [issuer, subject],
  );
  const initial = useMemo(() => (owner ? loadDraft(owner, formKey) : null), [owner, formKey]);
  const save = useCallback(
    (values: DraftValues) => {
      if (owner) saveDraft(owner, formKey, values);
    },
    [owner, formKey],
  );
  const discard = useCallback(() => {
    if (owner) discardDraft(owner, formKey);
  }, [owner, formKey]);
  return { initial, save, discard };
}
