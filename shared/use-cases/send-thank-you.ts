import { cohortCalendar } from '../program/calendar.ts';
import { type RoundSendResult, sendToPairs } from './pair-messages.ts';
import type { MailDeps } from './send-emails.ts';

/** On the cohort's last day: thanks, and what comes next. Counted as the round after the last. */
export function sendThankYou(
  cohortId: string,
  options: { dueBy?: Date },
  deps: MailDeps,
): Promise<RoundSendResult> {
  return sendToPairs(cohortId, deps, ({ program }) => {
    const calendar = cohortCalendar(program);
    return { kind: 'thank-you', round: calendar.rounds.length + 1, day: calendar.end, ...options };
  });
}
