import type { Participant } from '../cohorts/cohort.ts';
import { invalidInput } from '../errors.ts';
import { type CalendarRound, cohortCalendar } from '../program/calendar.ts';
import type { Program } from '../program/program-schema.ts';
import { type RoundSendResult, sendToPairs } from './pair-messages.ts';
import type { MailDeps } from './send-emails.ts';

function roundOf(program: Program, round: number): CalendarRound & { total: number } {
  const { rounds } = cohortCalendar(program);
  const found = rounds.find((r) => r.number === round);
  if (!found) {
    throw invalidInput(`There is no round ${round}`, [
      {
        path: 'round',
        message: `must be from 1 to ${rounds.length}`,
        hint: 'see the calendar with `tandem preview`',
      },
    ]);
  }
  return { ...found, total: rounds.length };
}

/**
 * Sends a round's check-ins (or its mid-point or close-out survey) to both sides of every
 * active pair, each in their own morning. Safe to re-run: the ledger sends each message once.
 */
export function sendRound(
  cohortId: string,
  round: number,
  options: { dueBy?: Date },
  deps: MailDeps,
): Promise<RoundSendResult> {
  return sendToPairs(cohortId, deps, ({ program }) => {
    const calendarRound = roundOf(program, round);
    const roundContext = { number: round, total: calendarRound.total, isFirst: round === 1 };
    return {
      kind: calendarRound.kind,
      round,
      day: calendarRound.date,
      ...options,
      context: (participant) => ({
        round: roundContext,
        previousActionItems: previousActionItems(participant, round),
      }),
    };
  });
}

/** Reminds those who have not answered the round yet, in their own morning of the nudge day. */
export function sendNudges(
  cohortId: string,
  round: number,
  options: { dueBy?: Date },
  deps: MailDeps,
): Promise<RoundSendResult> {
  return sendToPairs(cohortId, deps, async ({ program }) => {
    const calendarRound = roundOf(program, round);
    const answers = await deps.answers.listAnswers(cohortId, round);
    const answered = new Set(answers.map((answer) => answer.participantId));
    return {
      kind: 'nudge',
      round,
      day: calendarRound.nudgeDate,
      ...options,
      include: (participant) => !answered.has(participant.participantId),
      context: () => ({ round: { number: round, total: calendarRound.total, isFirst: round === 1 } }),
    };
  });
}

/** Last round's action items, quoted back so the mentee can update on them. */
function previousActionItems(participant: Participant, round: number): string[] {
  const from = participant.lastActionItemsRound;
  return from !== undefined && from < round ? (participant.lastActionItems ?? []) : [];
}
