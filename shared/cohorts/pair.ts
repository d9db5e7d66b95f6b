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
  endReason?: string;
}

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
