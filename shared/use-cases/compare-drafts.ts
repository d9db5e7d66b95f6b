import { notFound } from '../errors.ts';
import { compareDrafts, type DraftComparison } from '../matching/compare-drafts.ts';
import type { MatchDraft } from '../matching/match-draft.ts';
import type { MatchDraftStore } from '../ports.ts';

/** A draft by number, or the newest one. */
export type DraftRef = number | 'latest';

export interface DraftWithComparison {
  draft: MatchDraft;
  /** The draft it is compared with (by default the one before it) and what changed. */
  comparedWith?: number;
  comparison?: DraftComparison;
}

/** A draft and how it differs from another draft (by default the previous one). */
export async function getDraftWithComparison(
  cohortId: string,
  ref: DraftRef,
  compareWith: number | undefined,
  { drafts }: { drafts: MatchDraftStore },
): Promise<DraftWithComparison> {
  const draft = await loadDraft(drafts, cohortId, ref);
  const other = compareWith ?? draft.number - 1;
  if (other < 1 || other === draft.number) return { draft };
  const previous = await loadDraft(drafts, cohortId, other);
  return { draft, comparedWith: other, comparison: compareDrafts(previous, draft) };
}

export async function loadDraft(
  drafts: MatchDraftStore,
  cohortId: string,
  ref: DraftRef,
): Promise<MatchDraft> {
  const number = ref === 'latest' ? (await drafts.getReview(cohortId)).drafts : ref;
  const draft = number > 0 ? await drafts.getDraft(cohortId, number) : undefined;
  if (!draft) {
    throw notFound(
      number > 0
        ? `Cohort "${cohortId}" has no draft ${number}.`
        : `Cohort "${cohortId}" has no draft yet. Run \`tandem draft ${cohortId}\` first.`,
    );
  }
  return draft;
}
