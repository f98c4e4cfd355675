import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';

/**
 * The search box's text, mirrored to `?q=` (replacing the history entry, so Back leaves the
 * page rather than undoing keystrokes). The list filters on the local value at once; a URL
 * change from elsewhere (Back, a shared link) is followed.
 */
export function useContactSearch() {
  const [params, setParams] = useSearchParams();
  const fromUrl = params.get('q') ?? '';
  const [query, setLocal] = useState(fromUrl);
  const lastWritten = useRef(fromUrl);

  useEffect(() => {
    if (fromUrl === lastWritten.current) return;
    lastWritten.current = fromUrl;
    setLocal(fromUrl);
  }, [fromUrl]);

  const setQuery = (next: string) => {
    setLocal(next);
    lastWritten.current = next;
    setParams(
      (current) => {
        const updated = new URLSearchParams(current);
        if (next) updated.set('q', next);
        else updated.delete('q');
        return updated;
      },
      { replace: true, preventScrollReset: true },
    );
  };
  return { query, setQuery };
}
