import { useEffect, useState } from 'react';
import { useLocation, useSearchParams } from 'react-router';

const FROM_SEARCH_BOX = 'contact-search-box';

/**
 * The search box's text, mirrored to `?q=` (replacing the history entry, so Back leaves the
 * page rather than undoing keystrokes). The list filters on the local value at once. The
 * URL is followed only when something else changed it (Back, a link): following our own
 * writes would undo keystrokes typed while a write was still on its way.
 */
export function useContactSearch() {
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const fromUrl = params.get('q') ?? '';
  const ours = (location.state as { source?: unknown } | null)?.source === FROM_SEARCH_BOX;
  const [query, setLocal] = useState(fromUrl);

  useEffect(() => {
    if (!ours) setLocal(fromUrl);
  }, [fromUrl, ours]);

  const setQuery = (next: string) => {
    setLocal(next);
    setParams(
      (current) => {
        const updated = new URLSearchParams(current);
        if (next) updated.set('q', next);
        else updated.delete('q');
        return updated;
      },
      { replace: true, preventScrollReset: true, state: { source: FROM_SEARCH_BOX } },
    );
  };
  return { query, setQuery };
}
