import { useCallback, useEffect, useState } from 'preact/hooks';

export type Loaded<T> =
  | { state: 'loading' }
  | { state: 'failed'; error: Error }
  | { state: 'done'; value: T };

/** Loads once when `key` changes; `reload` loads again (after an action). */
export function useLoad<T>(load: () => Promise<T>, key: string): [Loaded<T>, () => Promise<void>] {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  // `key` names what `load` loads: a new key, a new load.
  const reload = useCallback(async () => {
    try {
      setLoaded({ state: 'done', value: await load() });
    } catch (error) {
      setLoaded({ state: 'failed', error: error instanceof Error ? error : new Error(String(error)) });
    }
  }, [key]);
  useEffect(() => {
    setLoaded({ state: 'loading' });
    void reload();
  }, [reload]);
  return [loaded, reload];
}
