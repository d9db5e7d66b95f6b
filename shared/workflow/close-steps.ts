import { stableId } from '../use-cases/deliver-email.ts';
import { loadCohort } from '../use-cases/load-cohort.ts';
import { type MailDeps, sendToOrganizers } from '../use-cases/send-emails.ts';
import { awake, type WorkflowState } from './workflow-state.ts';

/** The cohort is over: the thank-you has gone out; nothing more is sent. */
/** After a cohort closes, a late reply still learns it has ended this long; then its key is gone. */
const replyKeyGraceDays = 30;

export async function closeCohort(state: WorkflowState, deps: MailDeps): Promise<WorkflowState> {
  await deps.store.updateCohort(state.cohortId, { phase: 'closed' }, { phaseIn: ['running'] });
  // Reply keys end with their cohort: a key can no longer act for its participant.
  await deps.replyKeys.expireCohort(
    state.cohortId,
    new Date(deps.clock.now().getTime() + replyKeyGraceDays * 86_400_000),
  );
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
export async function notifyFailure(
  state: WorkflowState,
  deps: MailDeps,
  execution?: string,
): Promise<WorkflowState> {
  const failure = state.error as { Error?: string; Cause?: string } | undefined;
  const step = typeof state.failedStep === 'string' ? state.failedStep : undefined;
  const error = `${failure?.Error ?? 'Error'}: ${causeMessage(failure?.Cause)}`.slice(0, 1000);
  const cohort = await loadCohort(deps.store, state.cohortId);
  // An execution fails once: its name (with the step and error) names the alert, so Step
  // Functions retrying this step posts the same notice and sends the same emails, once.
  const alertId = stableId('alert', cohort.id, execution ?? '', step ?? '', error);
  await deps.notices.post(
    cohort.id,
    {
      at: deps.clock.now().toISOString(),
      kind: 'workflow',
      message: `The workflow stopped${step ? ` at ${step}` : ''}: ${error}. Continue with: tandem restart ${cohort.id}`,
    },
    alertId,
  );
  const alertNumber = Number.parseInt(alertId.slice(0, 8), 16);
  const sent = await sendToOrganizers(
    cohort,
    'organizer-alert',
    alertNumber,
    { alert: { step, error } },
    deps,
  );
  // Not out yet (SES held it back, or its fate is unknown): Step Functions retries this step.
  if (sent.deferred + sent['in-flight'] > 0) throw new Error('The alert could not go out yet; retrying');
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
