import type { ComponentChildren } from 'preact';
import { ApiError } from './api.ts';
import type { Loaded } from './use-load.ts';

/** What a page shows while it loads, when it failed, and once loaded. */
export function Loading<T>({
  loaded,
  what,
  children,
}: {
  loaded: Loaded<T>;
  what: string;
  children: (value: T) => ComponentChildren;
}) {
  if (loaded.state === 'loading') return <p aria-live="polite">Loading {what}…</p>;
  if (loaded.state === 'failed') return <Problem error={loaded.error} />;
  return <>{children(loaded.value)}</>;
}

/** An error as the API explained it: the message and every issue, with its line when it has one. */
export function Problem({ error }: { error: Error }) {
  const issues = error instanceof ApiError ? error.issues : [];
  return (
    <div class="problem" role="alert">
      <p>{error.message}</p>
      {issues.length > 0 && (
        <ul>
          {issues.map((issue) => (
            <li key={`${issue.line ?? ''}${issue.path}${issue.message}`}>
              {issue.line !== undefined && <strong>Line {issue.line}: </strong>}
              {issue.path && <code>{issue.path}</code>} {issue.message}
              {issue.hint && <span class="hint"> — {issue.hint}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export const percent = (share: number | null | undefined) =>
  share === null || share === undefined ? '–' : `${Math.round(share * 100)}%`;
export const day = (iso: string) => iso.slice(0, 10);

/** A wide table's own scrolling box: reachable with the keyboard, named for screen readers. */
export function Scroll({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take the focus to scroll by keyboard
    <section class="scroll" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
