import { forgetWriteAccess } from '../auth/sign-in/write-access.ts';
import { clearAllDrafts } from './drafts.ts';

/**
 * A deliberate sign-out, in this tab or another: nothing this tab kept for the account stays
 * for the next one to sign in here (unsaved input, permission to edit asked or refused).
 */
export function forgetAccountInThisTab(): void {
  clearAllDrafts();
  forgetWriteAccess();
}
