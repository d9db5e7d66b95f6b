import type { Clock, CohortStore } from '../ports.ts';
import { loadCohort } from '../use-cases/load-cohort.ts';
import { requestConfirmations } from '../use-cases/request-confirmation.ts';
import type { MailDeps } from '../use-cases/send-emails.ts';
import { awake, type WorkflowState } from './workflow-state.ts';

/** During intake, the workflow wakes daily to ask new (imported) applicants to confirm. */
const intakeSweepMs = 24 * 60 * 60 * 1000;

/**
 * Is intake still open, and when should the workflow look again? (A fresh execution of a closed
 * cohort learns here that only its retention steps remain.)
 */
export async function planIntake(
  state: WorkflowState,
  { store, clock }: { store: CohortStore; clock: Clock },
) {
  const cohort = await loadCohort(store, state.cohortId);
  const now = clock.now().getTime();
  const closesAt = new Date(cohort.intakeClosesAt).getTime();
  const closed = cohort.phase === 'closed';
  if (cohort.phase !== 'intake' || now >= closesAt) return { ...awake(state), intakeOpen: false, closed };
  return {
    ...state,
    closed,
    intakeOpen: true,
    wakeAt: new Date(Math.min(closesAt, now + intakeSweepMs)).toISOString(),
  };
}

export async function sendPendingConfirmations(state: WorkflowState, deps: MailDeps): Promise<WorkflowState> {
  await requestConfirmations(state.cohortId, deps);
  return awake(state);
}

/** Intake → matching, once. Applicants who never confirmed stay out of the matching. */
export async function closeIntake(
  state: WorkflowState,
  { store }: { store: CohortStore },
): Promise<WorkflowState> {
  await store.updateCohort(state.cohortId, { phase: 'matching' }, { phaseIn: ['intake'] });
  return awake(state);
}
