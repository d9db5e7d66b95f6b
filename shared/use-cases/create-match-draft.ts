import { conflict } from '../errors.ts';
import { compareDrafts, type DraftComparison } from '../matching/compare-drafts.ts';
import type { MatchDraft } from '../matching/match-draft.ts';
import { runMatching } from '../matching/run-matching.ts';
import type { Clock, CohortStore, MatchDraftStore } from '../ports.ts';
import { openReview } from './review-settings.ts';

export interface CreateMatchDraftDeps {
  store: CohortStore;
  drafts: MatchDraftStore;
  clock: Clock;
}

export interface CreatedMatchDraft {
  draft: MatchDraft;
  /** What changed since the previous draft, when there is one. */
  comparison?: DraftComparison;
}

/**
 * Runs matching for a cohort with the organizer's review settings and stores the result as
 * the next draft. Only confirmed participants are matched: applicants confirm by email before
 * they can be, so nobody is matched on an application someone else sent in their name.
 */
export async function createMatchDraft(
  cohortId: string,
  { store, drafts, clock }: CreateMatchDraftDeps,
): Promise<CreatedMatchDraft> {
  const { cohort, participants, review } = await openReview(cohortId, { store, drafts });
  if (cohort.phase === 'running' || cohort.phase === 'closed') {
    throw conflict(`Cohort "${cohortId}" is ${cohort.phase}; its matching is settled.`);
  }
  const result = runMatching(
    participants.filter((p) => p.confirmed),
    cohort.program,
    review.settings,
  );
  const draft = await drafts.addDraft(
    {
      cohortId,
      createdAt: clock.now().toISOString(),
      settings: review.settings,
      pairs: result.pairs,
      unmatched: result.unmatched,
      summary: result.summary,
    },
    review,
  );
  const previous = review.drafts > 0 ? await drafts.getDraft(cohortId, review.drafts) : undefined;
  return previous ? { draft, comparison: compareDrafts(previous, draft) } : { draft };
}
