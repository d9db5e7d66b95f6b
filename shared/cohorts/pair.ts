import { createHash } from 'node:crypto';

/** A mentee and a mentor working together in a cohort, from an approved match or a rematch. */
export interface Pair {
  pairId: string;
  cohortId: string;
  menteeEmail: string;
  mentorEmail: string;
  score: number;
  /** Why they were matched, in plain words. */
  reasons: string[];
  sharedTopics: string[];
  status: 'active' | 'ended';
  /** The first round this pair takes part in (0: from the introductions on). */
  startRound: number;
  createdAt: string;
  endedAt?: string;
  /** Why the pair ended, in plain words for the organizer. */
  endReason?: string;
  /** How the pair ended, for the report: never blame, only what happened. */
  endKind?: PairEndKind;
  /** `rematch`: formed mid-cohort for someone in the rematch queue. */
  origin?: 'match' | 'rematch';
  /** The engagement ladder: how far the pair's silence has gone. */
  ladder?: PairLadder;
}

/**
 * The engagement ladder's rungs, in order. A silent pair climbs them one at a time, each rung an
 * idempotent workflow step; a reply saying they met takes the pair back down to none.
 * - `nudged`: a reminder went to whoever had not answered the check-in;
 * - `partnerAsked`: after N silent rounds, the side that does answer is asked how it is going;
 * - `atRisk`: flagged, with its reason;
 * - `organizerAlerted`: the organizers were told, with a suggested action;
 * - `closeOffered`: the silent side was offered a no-fault close;
 * - `closedNoFault`: the pair was closed; the partner left behind joined the rematch queue.
 */
export const ladderRungs = [
  'nudged',
  'partnerAsked',
  'atRisk',
  'organizerAlerted',
  'closeOffered',
  'closedNoFault',
] as const;
export type LadderRung = (typeof ladderRungs)[number];

export interface PairLadder {
  /** The rung the pair stands on now; absent when the pair is fine. */
  rung?: LadderRung;
  /** Why the pair is at risk, in plain words ("no answer from the mentor in 3 check-ins"). */
  reason?: string;
  /** Check-ins in a row with no sign of a meeting, as of the last round closed. */
  silentRounds: number;
  /** The ladder waits (a participant's `pause`) until this instant. */
  pausedUntil?: string;
  /** When the pair first reached each rung, kept after a reset: the report's funnel. */
  reached: Partial<Record<LadderRung, string>>;
  /** The last round whose close assessed the pair: assessing it again changes nothing. */
  round?: number;
  /** The rung that round's assessment calls for; each rung's step climbs to it, one rung at a time. */
  due?: LadderRung;
  /** Who did not answer the last round's check-in (`both`; absent when both answered). */
  silentSide?: 'mentee' | 'mentor' | 'both';
}

export const pairEndKinds = [
  /** The ladder's last rung, or the silent side accepting the offer. */
  'no-fault-close',
  /** A participant left the program. */
  'exit',
  /** Ended at the mid-point review, well: a thank-you to both. */
  'midpoint',
  /** An organizer closed it (CLI, API, console or a reply to the digest). */
  'organizer',
  /** A participant asked for another partner. */
  'rematch-request',
  /** A participant unsubscribed or their address bounced. */
  'unreachable',
] as const;
export type PairEndKind = (typeof pairEndKinds)[number];

/**
 * A stable id for a mentee–mentor pairing in a cohort: re-running a step that creates pairs
 * finds the same ids, so it can never create a pair twice.
 */
export function pairIdOf(cohortId: string, menteeEmail: string, mentorEmail: string): string {
  return createHash('sha256')
    .update(`${cohortId}\n${menteeEmail}\n${mentorEmail}`)
    .digest('base64url')
    .slice(0, 16);
}

/** The mentee's topics the mentor also has, in the mentee's words. */
export function sharedTopicsOf(menteeTopics: readonly string[], mentorTopics: readonly string[]): string[] {
  const mentors = new Set(mentorTopics.map((topic) => topic.toLowerCase()));
  return menteeTopics.filter((topic) => mentors.has(topic.toLowerCase()));
}
