import { replyAddress } from '../email/compose-email.ts';
import { invalidInput, notFound } from '../errors.ts';
import { normalizeEmail } from '../validation/fields.ts';
import { loadCohort } from './load-cohort.ts';
import type { MailDeps } from './send-emails.ts';

/** The `reply+KEY@…` address of a participant for a round, as their emails carry it (for support and tests). */
export async function replyAddressOf(
  cohortId: string,
  email: string,
  round: number,
  deps: Pick<MailDeps, 'store' | 'replyKeys' | 'settings'>,
): Promise<{ cohortId: string; email: string; round: number; address: string }> {
  if (!Number.isInteger(round) || round < 0) {
    throw invalidInput('The round is not valid', [
      { path: 'round', message: 'must be a whole number, 0 or more' },
    ]);
  }
  await loadCohort(deps.store, cohortId);
  const participant = await deps.store.getParticipant(cohortId, normalizeEmail(email));
  if (!participant) throw notFound(`${email} has not applied to cohort "${cohortId}".`);
  const key = await deps.replyKeys.replyKeyFor({
    cohortId,
    participantId: participant.participantId,
    email: participant.email,
    round,
  });
  return {
    cohortId,
    email: participant.email,
    round,
    address: replyAddress(key, deps.settings.inboundDomain),
  };
}
