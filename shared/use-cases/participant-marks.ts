import type { Cohort, Participant } from '../cohorts/cohort.ts';
import type { MessageKind } from '../email/message-kinds.ts';
import { closePair } from './close-pair.ts';
import { stableId } from './deliver-email.ts';
import { proposeRematches, type RematchDeps } from './rematch.ts';
import { type MailDeps, sendToParticipants } from './send-emails.ts';

/**
 * Pause, exit and unsubscribe, whoever asks (a reply, a link, a complaint): the participant is
 * marked once, and what follows the mark — the organizers' notice, the pair ended, the
 * confirmation email — runs on *every* delivery of a request while the mark is set, not only
 * the one that set it, so a crash after the mark loses nothing. Each follow-up is idempotent:
 * the notice is named by the mark (its time), pairs end once, the ledger sends a confirmation
 * once; so asking again, or the same request delivered again, tells and sends nothing twice.
 */
export interface MarkRequest {
  /** When the request was made (a reply's arrival), for the notice. */
  at: Date;
  /** How it was asked, for the notice: "by email", "by link", … */
  how: string;
}

type Mark = 'pausedAt' | 'exitedAt' | 'unsubscribedAt';

const who = (participant: Participant) => `${participant.name} <${participant.email}> (${participant.role})`;

/**
 * Sets the mark, or finds it set already (a redelivery after a crash, a request made twice):
 * the mark's time, or undefined when the participant is gone.
 */
async function marked(participant: Participant, mark: Mark, deps: MailDeps): Promise<string | undefined> {
  await deps.store.markParticipant(participant.cohortId, participant.email, mark, deps.clock.now());
  return (await deps.store.getParticipant(participant.cohortId, participant.email))?.[mark];
}

/** The notice of one mark: posted once, however often its follow-ups run. */
const markNotice = (participant: Participant, mark: Mark, at: string) =>
  stableId(mark, participant.cohortId, participant.participantId, at);

function confirm(cohort: Cohort, participant: Participant, kind: MessageKind, round: number, deps: MailDeps) {
  return sendToParticipants(
    cohort,
    [
      {
        participant,
        audience: participant.role,
        kind,
        round,
        thread: `participant-${participant.participantId}`,
      },
    ],
    deps,
  );
}

export async function pauseParticipant(
  cohort: Cohort,
  participant: Participant,
  request: MarkRequest & { round: number },
  deps: MailDeps,
): Promise<void> {
  const pausedAt = await marked(participant, 'pausedAt', deps);
  if (!pausedAt) return;
  await deps.notices.post(
    cohort.id,
    { at: request.at.toISOString(), kind: 'pause', message: `${who(participant)} paused their check-ins.` },
    markNotice(participant, 'pausedAt', pausedAt),
  );
  await confirm(cohort, participant, 'pause-confirmation', request.round, deps);
}

/**
 * A no-fault exit: the participant's active pairs end, each partner left behind joins the
 * rematch queue (and gets a new partner proposed while the cohort runs), the organizers are
 * told, the participant too (once).
 */
export async function exitParticipant(
  cohort: Cohort,
  participant: Participant,
  request: MarkRequest,
  deps: RematchDeps,
): Promise<void> {
  const exitedAt = await marked(participant, 'exitedAt', deps);
  if (!exitedAt) return;
  for (const pair of await deps.pairs.listPairs(cohort.id)) {
    if (
      pair.status === 'active' &&
      (pair.menteeEmail === participant.email || pair.mentorEmail === participant.email)
    )
      await closePair(
        {
          cohortId: cohort.id,
          pairId: pair.pairId,
          by: 'participant',
          reason: `${participant.role} left (no-fault exit)`,
          leaving: participant.email,
          endKind: 'exit',
        },
        deps,
      );
  }
  await deps.notices.post(
    cohort.id,
    {
      at: request.at.toISOString(),
      kind: 'exit',
      message: `${who(participant)} left the program (no-fault exit, ${request.how}). Please let their partner know kindly; Tandem looks for a new partner for them.`,
    },
    markNotice(participant, 'exitedAt', exitedAt),
  );
  // Once per participant: they leave once, however they asked.
  await confirm(cohort, participant, 'exit-confirmation', 0, deps);
  if (cohort.phase === 'running') await proposeRematches(cohort.id, deps);
}

export async function unsubscribeParticipant(
  cohort: Cohort,
  participant: Participant,
  request: MarkRequest,
  deps: MailDeps,
): Promise<void> {
  const unsubscribedAt = await marked(participant, 'unsubscribedAt', deps);
  if (!unsubscribedAt) return;
  await deps.notices.post(
    cohort.id,
    {
      at: request.at.toISOString(),
      kind: 'unsubscribe',
      message: `${who(participant)} unsubscribed ${request.how} and will get no more emails.`,
    },
    markNotice(participant, 'unsubscribedAt', unsubscribedAt),
  );
}

/**
 * An "exit" or "unsubscribe" from an address nobody vouched for (no DMARC, no aligned SPF or
 * DKIM): nothing changes; the participant's own address gets a link to confirm it, once per
 * round, so a forged From can neither take someone out nor flood them.
 */
export async function askToConfirmByLink(
  cohort: Cohort,
  participant: Participant,
  command: 'exit' | 'unsubscribe',
  round: number,
  deps: MailDeps,
): Promise<void> {
  await confirm(
    cohort,
    participant,
    command === 'exit' ? 'exit-request' : 'unsubscribe-request',
    round,
    deps,
  );
}
