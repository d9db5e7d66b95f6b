import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export type Loaded<T> =
  | { state: 'loading' }
  | { state: 'failed'; error: Error }
  | { state: 'done'; value: T };

/**
 * Loads once when `key` changes; `reload` loads again (after an action). Only the latest load
 * is shown: an earlier one that answers late (the whole list, after "only pairs at risk" was
 * ticked) never replaces it, and what was loaded for another key is never shown under this
 * one, not even in the render before the new load starts (the whole list captioned "9 pairs at
 * risk" for a moment).
 */
export function useLoad<T>(load: () => Promise<T>, key: string): [Loaded<T>, () => Promise<void>] {
  const [loaded, setLoaded] = useState<{ key: string; value: Loaded<T> }>({
    key,
    value: { state: 'loading' },
  });
  const latest = useRef(0);
  // `key` names what `load` loads: a new key, a new load.
  const reload = useCallback(async () => {
    const mine = ++latest.current;
    let next: Loaded<T>;
    try {
      next = { state: 'done', value: await load() };
    } catch (error) {
      next = { state: 'failed', error: error instanceof Error ? error : new Error(String(error)) };
    }
    if (mine === latest.current) setLoaded({ key, value: next });
  }, [key]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return [loaded.key === key ? loaded.value : { state: 'loading' }, reload];
}
