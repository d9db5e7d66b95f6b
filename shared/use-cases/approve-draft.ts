import type { MatchDraft } from '../matching/match-draft.ts';
import type { Clock, CohortStore, MatchDraftStore } from '../ports.ts';
import { type DraftRef, loadDraft } from './compare-drafts.ts';
import { loadCohort } from './load-cohort.ts';

export interface ApproveDraftDeps {
  store: CohortStore;
  drafts: MatchDraftStore;
  clock: Clock;
}

/**
 * Approves a draft (by default the newest): it becomes the cohort's matching, the only one
 * ever announced to participants. A cohort has at most one approved draft, and after approval
 * neither drafts nor review settings change. The workflow that announces pairs builds on this.
 */
export async function approveDraft(
  cohortId: string,
  ref: DraftRef,
  { store, drafts, clock }: ApproveDraftDeps,
): Promise<MatchDraft> {
  await loadCohort(store, cohortId);
  const draft = await loadDraft(drafts, cohortId, ref);
  const at = clock.now();
  await drafts.approveDraft(cohortId, draft.number, at);
  return { ...draft, status: 'approved', approvedAt: at.toISOString() };
}
