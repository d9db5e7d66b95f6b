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
  /** …and came after this (a previous part of the wave covered the others). */
  dueAfter?: Date;
  /** Extra context per recipient (round details, previous action items…). */
  context?: (participant: Participant, pair: Pair) => Record<string, unknown>;
  /** Leave out recipients this returns false for (e.g. those who already answered). */
  include?: (participant: Participant) => boolean;
  /** Only pairs that start in this round (introductions); default: every pair already started. */
  startingOnly?: boolean;
}

/**
 * One message to each participant in an active pair — a mentor with several mentees gets one
 * message about all of them, since the ledger sends each participant one message per kind and
 * round. Each knows who their partner is and why they were matched. Paused, exited,
 * unsubscribed and bounced participants are left out. Also returns when the next
 * not-yet-due message falls due.
 */
export function pairMessages(
  pairs: Pair[],
  participants: Participant[],
  options: PairMessageOptions,
): { messages: ParticipantMessage[]; nextDueAt?: Date } {
  const byEmail = new Map(participants.map((p) => [p.email, p]));
  const recipients = new Map<
    string,
    { participant: Participant; audience: 'mentor' | 'mentee'; pairs: Pair[]; partners: Participant[] }
  >();
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
      const recipient = recipients.get(participant.email) ?? {
        participant,
        audience,
        pairs: [],
        partners: [],
      };
      recipient.pairs.push(pair);
      recipient.partners.push(partner);
      recipients.set(participant.email, recipient);
    }
  }

  const messages: ParticipantMessage[] = [];
  let nextDueAt: Date | undefined;
  for (const { participant, audience, pairs: theirPairs, partners } of recipients.values()) {
    if (!isActive(participant) || (options.include && !options.include(participant))) continue;
    const dueAt = localMorning(options.day, participant.timezone, sendHour);
    if (options.dueAfter && dueAt <= options.dueAfter) continue;
    if (options.dueBy && dueAt > options.dueBy) {
      if (!nextDueAt || dueAt < nextDueAt) nextDueAt = dueAt;
      continue;
    }
    const [pair] = theirPairs;
    if (!pair) continue;
    const partnerContexts = partners.map((partner, i) => ({
      name: partner.name,
      firstName: firstName(partner.name),
      email: partner.email,
      organization: partner.organization,
      timezone: partner.timezone,
      topics: partner.topics,
      reasons: theirPairs[i]?.reasons ?? [],
    }));
    messages.push({
      participant,
      audience,
      kind: options.kind,
      round: options.round,
      // One pair: its thread; several: the participant's own.
      thread: theirPairs.length === 1 ? `pair-${pair.pairId}` : `participant-${participant.participantId}`,
      context: {
        partner: partnerContexts[0],
        partners: partnerContexts,
        partnerNames: listOf(partnerContexts.map((p) => p.name)),
        partnerFirstNames: listOf(partnerContexts.map((p) => p.firstName)),
        pair: { reasons: pair.reasons, sharedTopics: pair.sharedTopics, score: pair.score },
        ...options.context?.(participant, pair),
      },
    });
  }
  return nextDueAt ? { messages, nextDueAt } : { messages };
}

/** "Ana", "Ana and Tom", "Ana, Tom and Kenji". */
export function listOf(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
