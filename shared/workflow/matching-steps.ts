import { pairIdOf, sharedTopicsOf } from '../cohorts/pair.ts';
import { notFound } from '../errors.ts';
import type { MatchDraftStore, WorkflowEngine } from '../ports.ts';
import { approveDraft } from '../use-cases/approve-draft.ts';
import type { DraftRef } from '../use-cases/compare-drafts.ts';
import { createMatchDraft } from '../use-cases/create-match-draft.ts';
import { loadCohort } from '../use-cases/load-cohort.ts';
import { type MailDeps, sendToOrganizers } from '../use-cases/send-emails.ts';
import { awake, type WorkflowState } from './workflow-state.ts';

export interface MatchingDeps extends MailDeps {
  drafts: MatchDraftStore;
  engine: WorkflowEngine;
}

/**
 * Intake is over: match the confirmed participants into the first draft for the organizers'
 * review (once — a restarted workflow finds it, or finds it approved already).
 */
export async function computeMatchDraft(state: WorkflowState, deps: MatchingDeps): Promise<WorkflowState> {
  const cohort = await loadCohort(deps.store, state.cohortId);
  const review = await deps.drafts.getReview(cohort.id);
  if (review.approvedDraft !== undefined) return { ...awake(state), approved: true };
  if (review.drafts === 0) await createMatchDraft(cohort.id, deps);
  await deps.store.updateCohort(cohort.id, { phase: 'review' }, { phaseIn: ['matching'] });
  return { ...awake(state), approved: false };
}

/** Each wait for the approval sends its email: 0 the request, 1 a reminder, 2 the alert to all. */
const escalation = 2;

/**
 * The workflow waits for the organizers (task token). The token is stored first, then the
 * approval checked: whichever comes second — this step or `approveCohort` — completes the
 * task, so an approval given at any moment is never missed.
 */
export async function requestApproval(
  state: WorkflowState,
  { taskToken, attempt }: { taskToken: string; attempt: number },
  deps: MatchingDeps,
): Promise<void> {
  const cohort = await loadCohort(deps.store, state.cohortId);
  await deps.store.updateCohort(cohort.id, { workflow: { ...cohort.workflow, approvalToken: taskToken } });
  const review = await deps.drafts.getReview(cohort.id);
  if (review.approvedDraft !== undefined) {
    await deps.engine.completeTask(taskToken, { draft: review.approvedDraft });
    return;
  }
  const draft = review.drafts > 0 ? await deps.drafts.getDraft(cohort.id, review.drafts) : undefined;
  if (attempt === escalation) {
    await deps.notices.post(cohort.id, {
      at: deps.clock.now().toISOString(),
      kind: 'workflow',
      message:
        'The match draft still waits for approval: introductions cannot go out until an organizer approves it.',
    });
  }
  await sendToOrganizers(
    cohort,
    'approval-request',
    attempt,
    {
      approval: {
        matched: draft?.summary.matched ?? 0,
        unmatched: draft?.summary.unmatched ?? 0,
        reminder: attempt === 1,
        escalation: attempt === 2,
      },
    },
    deps,
  );
}

/** The organizer approves a draft (the latest by default); a waiting workflow carries on at once. */
export async function approveCohort(cohortId: string, ref: DraftRef, deps: MatchingDeps) {
  const approved = await approveDraft(cohortId, ref, deps);
  const token = (await loadCohort(deps.store, cohortId)).workflow?.approvalToken;
  if (token) await deps.engine.completeTask(token, { draft: approved.number });
  return approved;
}

/**
 * The approved draft becomes the cohort's pairs (ids derived from the people, so a rerun adds
 * none twice) and the cohort runs.
 */
export async function startPairs(state: WorkflowState, deps: MatchingDeps): Promise<WorkflowState> {
  const cohort = await loadCohort(deps.store, state.cohortId);
  const review = await deps.drafts.getReview(cohort.id);
  const draft =
    review.approvedDraft !== undefined
      ? await deps.drafts.getDraft(cohort.id, review.approvedDraft)
      : undefined;
  if (!draft) throw notFound(`Cohort "${cohort.id}" has no approved match draft.`);
  const topicsOf = new Map((await deps.store.listParticipants(cohort.id)).map((p) => [p.email, p.topics]));
  const now = deps.clock.now().toISOString();
  for (const pair of draft.pairs) {
    await deps.pairs.addPair({
      pairId: pairIdOf(cohort.id, pair.mentee, pair.mentor),
      cohortId: cohort.id,
      menteeEmail: pair.mentee,
      mentorEmail: pair.mentor,
      score: pair.score,
      reasons: pair.reasons,
      sharedTopics: sharedTopicsOf(topicsOf.get(pair.mentee) ?? [], topicsOf.get(pair.mentor) ?? []),
      status: 'active',
      startRound: 0,
      createdAt: now,
    });
  }
  // A draft approved before intake closed (the console and the CLI allow it) skips the review:
  // the cohort comes here from matching.
  await deps.store.updateCohort(cohort.id, { phase: 'running' }, { phaseIn: ['matching', 'review'] });
  return awake(state);
}
