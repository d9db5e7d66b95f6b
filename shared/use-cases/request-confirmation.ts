import type { Application } from '../applications/application-schema.ts';
import type { Cohort, Participant } from '../cohorts/cohort.ts';
import { ledgerId } from '../email/outbound-email.ts';
import { intakeLimitsOf } from '../program/program-schema.ts';
import { loadCohort } from './load-cohort.ts';
import {
  emptySummary,
  ledgerKeyOf,
  type MailDeps,
  type ParticipantMessage,
  type SendSummary,
  sendToParticipants,
} from './send-emails.ts';

const hourMs = 3_600_000;

/** What the change email lists: the application as it would become. */
function changeSummary(application: Application) {
  const list = (items: string[]) => items.join(', ');
  return {
    name: application.name,
    role: application.role,
    years: application.years_experience,
    topics: list(application.topics),
    languages: list(application.languages) || '—',
    timezone: application.timezone,
    organization: application.organization ?? '',
    preferred: list(application.preferred),
    avoid: list(application.avoid),
  };
}

/**
 * The "please confirm" emails an applicant is owed: the application's own while it is not
 * confirmed, and the pending change's (a key and a link of its own, so confirming one never
 * confirms another).
 */
function confirmationMessages(participant: Participant, deps: MailDeps): ParticipantMessage[] {
  const thread = `participant-${participant.participantId}`;
  const messages: ParticipantMessage[] = [];
  if (!participant.confirmed)
    messages.push({
      participant,
      audience: participant.role,
      kind: 'application-received',
      round: 0,
      thread,
    });
  const change = participant.pendingChange;
  if (change) {
    messages.push({
      participant,
      audience: participant.role,
      kind: 'application-change',
      round: change.number,
      thread,
      replyTarget: { round: 0, change: change.number },
      context: {
        change: changeSummary(change.application),
        links: { change: `${deps.settings.publicUrl}/confirm/${change.token}` },
      },
    });
  }
  return messages;
}

/**
 * The messages that may go out now: every one to an applicant an organizer imported, and those
 * to the form's applicants within the cohort's emails for this hour (`intake.limits`), oldest
 * applicants first. The rest wait for the next intake sweep.
 */
async function withinHourlyEmails(
  cohort: Cohort,
  messages: ParticipantMessage[],
  deps: MailDeps,
): Promise<{ now: ParticipantMessage[]; later: number }> {
  const settled = await deps.ledger.settled(messages.map((message) => ledgerKeyOf(cohort, message)));
  const owed = messages.filter((message) => !settled.has(ledgerId(ledgerKeyOf(cohort, message))));
  const fromForm = owed
    .filter((message) => message.participant.consent.source === 'applicant')
    .sort((a, b) => a.participant.createdAt.localeCompare(b.participant.createdAt));
  const vetted = owed.filter((message) => message.participant.consent.source !== 'applicant');
  if (fromForm.length === 0) return { now: vetted, later: 0 };
  const hour = Math.floor(deps.clock.now().getTime() / hourMs);
  const granted = await deps.limits.take(
    {
      scope: `confirmation-emails#${cohort.id}`,
      window: String(hour),
      limit: intakeLimitsOf(cohort.program).confirmationEmailsPerHour,
      expiresAt: new Date((hour + 2) * hourMs),
    },
    fromForm.length,
  );
  return { now: [...vetted, ...fromForm.slice(0, granted)], later: fromForm.length - granted };
}

async function sendConfirmations(cohort: Cohort, participants: Participant[], deps: MailDeps) {
  const messages = participants.flatMap((participant) => confirmationMessages(participant, deps));
  const { now, later } = await withinHourlyEmails(cohort, messages, deps);
  const summary: SendSummary = now.length > 0 ? await sendToParticipants(cohort, now, deps) : emptySummary();
  summary.deferred += later;
  return summary;
}

/**
 * Sends the "application received, please confirm" email to every applicant who has not
 * confirmed yet, and the confirmation of every pending change. Each gets it once, however often
 * this runs (the ledger), so it serves both right after an application and as a sweep after
 * imports and for what the hourly limit held back.
 */
export async function requestConfirmations(cohortId: string, deps: MailDeps): Promise<SendSummary> {
  const cohort: Cohort = await loadCohort(deps.store, cohortId);
  const waiting = (await deps.store.listParticipants(cohortId)).filter(
    (participant) => !participant.confirmed || participant.pendingChange,
  );
  return sendConfirmations(cohort, waiting, deps);
}

/** The confirmation requests of one applicant, right after they applied. */
export async function requestConfirmation(
  cohortId: string,
  email: string,
  deps: MailDeps,
): Promise<SendSummary> {
  const cohort = await loadCohort(deps.store, cohortId);
  const participant = await deps.store.getParticipant(cohortId, email);
  return sendConfirmations(cohort, participant ? [participant] : [], deps);
}
