import { cohortCalendar } from '../program/calendar.ts';
import { type RoundSendResult, sendToPairs } from './pair-messages.ts';
import type { MailDeps } from './send-emails.ts';

/**
 * Introduces both sides of every pair that starts in `round` (0: the approved match; later:
 * rematches): who the partner is, why they were matched, how to reach them, a first agenda.
 */
export function sendIntroductions(
  cohortId: string,
  options: { round?: number; dueBy?: Date },
  deps: MailDeps,
): Promise<RoundSendResult> {
  const { round = 0, ...due } = options;
  return sendToPairs(cohortId, deps, ({ program }) => {
    const calendar = cohortCalendar(program);
    const day =
      round === 0 ? calendar.introductions : (calendar.rounds[round - 1]?.date ?? calendar.introductions);
    return { kind: 'match-announcement', round, day, startingOnly: true, ...due };
  });
}
