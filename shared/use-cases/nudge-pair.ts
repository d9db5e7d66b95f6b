import { DateTime } from 'luxon';
import { ledgerId } from '../email/outbound-email.ts';
import { conflict, notFound } from '../errors.ts';
import { roundsAt } from '../program/calendar.ts';
import { loadCohort } from './load-cohort.ts';
import { pairMessages } from './pair-messages.ts';
import { ledgerKeyOf, type MailDeps, type SendSummary, sendToParticipants } from './send-emails.ts';

export interface NudgeResult {
  pairId: string;
  /** The check-in the nudge is about: replies to it count as answers to that round. */
  round: number;
  /** Who got the nudge now; nobody when both had theirs for this round already. */
  nudged: string[];
  summary: SendSummary;
}

/**
 * An organizer's nudge to one pair: both sides are asked, kindly, how it is going with their
 * partner, for the round under way (their reply answers it). Once per person and round,
 * however often the organizer asks: the ledger sends it once.
 */
export async function nudgePair(cohortId: string, pairId: string, deps: MailDeps): Promise<NudgeResult> {
  const cohort = await loadCohort(deps.store, cohortId);
  const pairs = await deps.pairs.listPairs(cohortId);
  const pair = pairs.find((p) => p.pairId === pairId);
  if (!pair) {
    throw notFound(
      `There is no pair "${pairId}" in cohort "${cohortId}". List the pairs and their ids with: tandem pairs ${cohortId}`,
    );
  }
  if (pair.status !== 'active') throw conflict(`The pair "${pairId}" has ended: there is nobody to nudge.`);
  const now = deps.clock.now();
  const { current } = roundsAt(cohort.program, cohort.schedule, cohort.completedRounds, now);
  if (cohort.phase !== 'running' || current < Math.max(1, pair.startRound)) {
    throw conflict(`The pair "${pairId}" has had no check-in yet: a nudge follows a check-in.`);
  }
  const { messages } = pairMessages([pair], await deps.store.listParticipants(cohortId), {
    kind: 'pair-nudge',
    round: current,
    day: DateTime.fromJSDate(now, { zone: cohort.program.timezone }).toISODate() ?? '',
    context: () => ({ round: { number: current } }),
  });
  const settled = await deps.ledger.settled(messages.map((m) => ledgerKeyOf(cohort, m)));
  const nudged = messages
    .filter((m) => !settled.has(ledgerId(ledgerKeyOf(cohort, m))))
    .map((m) => m.participant.email);
  const summary = await sendToParticipants(cohort, messages, deps);
  return { pairId, round: current, nudged, summary };
}
