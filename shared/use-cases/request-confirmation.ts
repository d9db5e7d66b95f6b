import type { Cohort, Participant } from '../cohorts/cohort.ts';
import { loadCohort } from './load-cohort.ts';
import { type MailDeps, type SendSummary, sendToParticipants } from './send-emails.ts';

const confirmationMessage = (participant: Participant) => ({
  participant,
  audience: participant.role,
  kind: 'application-received' as const,
  round: 0,
  thread: `participant-${participant.participantId}`,
});

/**
 * Sends the "application received, please confirm" email to every applicant who has not
 * confirmed yet. Each gets it once, however often this runs (the ledger), so it serves both
 * right after an application and as a sweep after imports.
 */
export async function requestConfirmations(cohortId: string, deps: MailDeps): Promise<SendSummary> {
  const cohort: Cohort = await loadCohort(deps.store, cohortId);
  const pending = (await deps.store.listParticipants(cohortId)).filter(
    (participant) => !participant.confirmed,
  );
  return sendToParticipants(cohort, pending.map(confirmationMessage), deps);
}

/** The confirmation request for one applicant, right after they applied. */
export async function requestConfirmation(
  cohortId: string,
  email: string,
  deps: MailDeps,
): Promise<SendSummary> {
  const cohort = await loadCohort(deps.store, cohortId);
  const participant = await deps.store.getParticipant(cohortId, email);
  const messages = participant && !participant.confirmed ? [confirmationMessage(participant)] : [];
  return sendToParticipants(cohort, messages, deps);
}
