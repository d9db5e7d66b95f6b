import { loadCohort } from '../use-cases/load-cohort.ts';
import { type MailDeps, sendToOrganizers } from '../use-cases/send-emails.ts';
import { awake, type WorkflowState } from './workflow-state.ts';

/** The cohort is over: the thank-you has gone out; nothing more is sent. */
export async function closeCohort(state: WorkflowState, deps: MailDeps): Promise<WorkflowState> {
  await deps.store.updateCohort(state.cohortId, { phase: 'closed' }, { phaseIn: ['running'] });
  await deps.notices.post(state.cohortId, {
    at: deps.clock.now().toISOString(),
    kind: 'workflow',
    message: 'The cohort is closed: the close-out survey and the thank-you have gone out.',
  });
  return awake(state);
}

/**
 * A step failed after its retries: tell the organizers what happened and how to continue.
 * Nothing is lost, since every step keeps its state in the table.
 */
export async function notifyFailure(state: WorkflowState, deps: MailDeps): Promise<WorkflowState> {
  const failure = state.error as { Error?: string; Cause?: string } | undefined;
  const step = typeof state.failedStep === 'string' ? state.failedStep : undefined;
  const error = `${failure?.Error ?? 'Error'}: ${causeMessage(failure?.Cause)}`.slice(0, 1000);
  const cohort = await loadCohort(deps.store, state.cohortId);
  const notices = await deps.notices.list(cohort.id);
  await deps.notices.post(cohort.id, {
    at: deps.clock.now().toISOString(),
    kind: 'workflow',
    message: `The workflow stopped${step ? ` at ${step}` : ''}: ${error}. Continue with: tandem restart ${cohort.id}`,
  });
  // Each failure is its own alert: numbered by the workflow notices before it.
  const alertNumber = notices.filter((notice) => notice.kind === 'workflow').length + 1;
  await sendToOrganizers(cohort, 'organizer-alert', alertNumber, { alert: { step, error } }, deps);
  return state;
}

/** Lambda errors arrive as JSON text in `Cause`; the message is what a person needs. */
function causeMessage(cause: string | undefined): string {
  if (!cause) return 'no details';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string };
    return parsed.errorMessage ?? cause;
  } catch {
    return cause;
  }
}
