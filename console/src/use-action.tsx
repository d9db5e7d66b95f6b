import { useEffect, useRef, useState } from 'preact/hooks';
import { Problem } from './parts.tsx';

type Outcome = { kind: 'done'; text: string } | { kind: 'failed'; error: Error } | undefined;

/**
 * An organizer's action: runs it once at a time, then says how it went in a message that takes
 * the focus — so the keyboard stays where the result is, even when the button that started it
 * is gone (an approved draft has no approve button).
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  const message = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (outcome) message.current?.focus();
  }, [outcome]);
  const run = async (action: () => Promise<string>) => {
    if (busy) return;
    setBusy(true);
    setOutcome(undefined);
    try {
      setOutcome({ kind: 'done', text: await action() });
    } catch (error) {
      setOutcome({ kind: 'failed', error: error instanceof Error ? error : new Error(String(error)) });
    } finally {
      setBusy(false);
    }
  };
  // An element, not a component: the same node across renders, so it keeps the focus.
  const view = outcome ? (
    <div ref={message} tabIndex={-1} class="outcome">
      {outcome.kind === 'done' ? (
        <p class="done" role="status">
          {outcome.text}
        </p>
      ) : (
        <Problem error={outcome.error} />
      )}
    </div>
  ) : null;
  return { busy, run, view };
}
