import { type RefObject, useEffect } from 'react';

/**
 * Moves keyboard focus to `ref` when the component appears (a newly opened contact's
 * heading, a form's first field), so keyboard and screen-reader users land where the new
 * content is instead of staying on the link that opened it.
 */
export function useFocusOnMount(ref: RefObject<HTMLElement | null>, key?: unknown): void {
  // biome-ignore lint/correctness/useExhaustiveDependencies: key re-runs it for new content
  useEffect(() => {
    ref.current?.focus({ preventScroll: false });
  }, [ref, key]);
}
