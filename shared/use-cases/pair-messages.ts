import { isActive, type Participant } from '../cohorts/cohort.ts';
import type { Pair } from '../cohorts/pair.ts';
import { firstName } from '../email/email-address.ts';
import type { MessageKind } from '../email/message-kinds.ts';
import { localMorning } from '../program/calendar.ts';
import type { ParticipantMessage } from './send-emails.ts';

/** Hour of a participant's own morning when their emails go out. */
export const sendHour = 9;

export interface PairMessageOptions {
  kind: MessageKind;
  round: number;
  /** The day the messages are for; each participant gets theirs at 9:00 in their own time zone. */
  day: string;
  /** Only participants whose local morning has come by then (all when absent). */
  dueBy?: Date;
  /** Extra context per recipient (round details, previous action items…). */
  context?: (participant: Participant, pair: Pair) => Record<string, unknown>;
  /** Leave out recipients this returns false for (e.g. those who already answered). */
  include?: (participant: Participant) => boolean;
  /** Only pairs that start in this round (introductions); default: every pair already started. */
  startingOnly?: boolean;
}

/**
 * One message to each side of every active pair, in the pair's thread, telling each who
 * their partner is and why they were matched. Paused, exited, unsubscribed and bounced
 * participants are left out. Also returns when the next not-yet-due message falls due.
 */
export function pairMessages(
  pairs: Pair[],
  participants: Participant[],
  options: PairMessageOptions,
): { messages: ParticipantMessage[]; nextDueAt?: Date } {
  const byEmail = new Map(participants.map((p) => [p.email, p]));
  const messages: ParticipantMessage[] = [];
  let nextDueAt: Date | undefined;
  for (const pair of pairs) {
    if (pair.status !== 'active') continue;
    if (options.startingOnly ? pair.startRound !== options.round : pair.startRound > options.round) continue;
    const mentee = byEmail.get(pair.menteeEmail);
    const mentor = byEmail.get(pair.mentorEmail);
    if (!mentee || !mentor) continue;
    for (const [participant, partner, audience] of [
      [mentee, mentor, 'mentee'],
      [mentor, mentee, 'mentor'],
    ] as const) {
      if (!isActive(participant) || (options.include && !options.include(participant))) continue;
      const dueAt = localMorning(options.day, participant.timezone, sendHour);
      if (options.dueBy && dueAt > options.dueBy) {
        if (!nextDueAt || dueAt < nextDueAt) nextDueAt = dueAt;
        continue;
      }
      messages.push({
        participant,
        audience,
        kind: options.kind,
        round: options.round,
        thread: `pair-${pair.pairId}`,
        context: {
          partner: {
            name: partner.name,
            firstName: firstName(partner.name),
            email: partner.email,
            organization: partner.organization,
            timezone: partner.timezone,
            topics: partner.topics,
          },
          pair: { reasons: pair.reasons, sharedTopics: pair.sharedTopics, score: pair.score },
          ...options.context?.(participant, pair),
        },
      });
    }
  }
  return nextDueAt ? { messages, nextDueAt } : { messages };
}
