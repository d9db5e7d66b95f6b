import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export type Loaded<T> =
  | { state: 'loading' }
  | { state: 'failed'; error: Error }
  | { state: 'done'; value: T };

/**
 * Loads once when `key` changes; `reload` loads again (after an action). Only the latest load
 * is shown: an earlier one that answers late (the whole list, after "only pairs at risk" was
 * ticked) never replaces it.
 */
export function useLoad<T>(load: () => Promise<T>, key: string): [Loaded<T>, () => Promise<void>] {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
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
    if (mine === latest.current) setLoaded(next);
  }, [key]);
  useEffect(() => {
    setLoaded({ state: 'loading' });
    void reload();
  }, [reload]);
  return [loaded, reload];
}
