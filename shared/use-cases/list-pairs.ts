import { type LadderRung, ladderRungs, type Pair } from '../cohorts/pair.ts';
import type { AnswerStore, CohortStore, PairStore } from '../ports.ts';
import { loadCohort } from './load-cohort.ts';

export interface ListPairsDeps {
  store: CohortStore;
  pairs: PairStore;
  answers: AnswerStore;
}

/** One side of a pair, as the organizer reads it. */
export interface PairSide {
  name: string;
  email: string;
}

/** A pair as the organizer acts on it: who, how it stands on the ladder, when it last met and answered. */
export interface PairRow {
  pairId: string;
  status: Pair['status'];
  mentee: PairSide;
  mentor: PairSide;
  score: number;
  origin: NonNullable<Pair['origin']>;
  startRound: number;
  /** The engagement ladder's rung; null when the pair is fine. */
  rung: LadderRung | null;
  /** At risk: active and flagged by the ladder (at risk, organizer alerted, close offered). */
  atRisk: boolean;
  /** Why it is at risk, or why it ended. */
  reason: string | null;
  silentRounds: number;
  /** The last check-in in which either side reported a meeting, and when that answer came. */
  lastMeeting: { round: number; at: string } | null;
  /** The last check-in either side answered, who answered and when. */
  lastAnswer: { round: number; at: string; from: string } | null;
  endedAt: string | null;
}

const atRiskFrom = ladderRungs.indexOf('atRisk');
const closedRung = ladderRungs.indexOf('closedNoFault');

/** Whether the ladder flags an active pair at risk (at risk, organizers alerted, a close offered). */
export function isAtRisk(pair: Pair): boolean {
  const rung = pair.ladder?.rung ? ladderRungs.indexOf(pair.ladder.rung) : -1;
  return pair.status === 'active' && rung >= atRiskFrom && rung < closedRung;
}

/**
 * Every pair of the cohort (or only those at risk) with its status, ladder rung, last meeting
 * and last answer: what an organizer needs to decide whether to nudge, close or rematch.
 * Active pairs first, at-risk ones at the top.
 */
export async function listPairs(
  cohortId: string,
  options: { atRisk?: boolean },
  deps: ListPairsDeps,
): Promise<{ pairs: PairRow[] }> {
  await loadCohort(deps.store, cohortId);
  const [pairs, participants, answers] = await Promise.all([
    deps.pairs.listPairs(cohortId),
    deps.store.listParticipants(cohortId),
    deps.answers.listAnswerSummaries(cohortId),
  ]);
  const byEmail = new Map(participants.map((p) => [p.email, p]));
  const side = (email: string): PairSide => ({ name: byEmail.get(email)?.name ?? email, email });
  const rows = pairs
    .filter((pair) => !options.atRisk || isAtRisk(pair))
    .map((pair): PairRow => {
      const theirs = answers
        .filter(
          (a) => (a.email === pair.menteeEmail || a.email === pair.mentorEmail) && a.round >= pair.startRound,
        )
        .sort((a, b) => b.round - a.round || b.updatedAt.localeCompare(a.updatedAt));
      const answered = theirs[0];
      const met = theirs.find((a) => a.met === true);
      return {
        pairId: pair.pairId,
        status: pair.status,
        mentee: side(pair.menteeEmail),
        mentor: side(pair.mentorEmail),
        score: pair.score,
        origin: pair.origin ?? 'match',
        startRound: pair.startRound,
        rung: pair.ladder?.rung ?? null,
        atRisk: isAtRisk(pair),
        reason: (pair.status === 'ended' ? pair.endReason : pair.ladder?.reason) ?? null,
        silentRounds: pair.ladder?.silentRounds ?? 0,
        lastMeeting: met ? { round: met.round, at: met.updatedAt } : null,
        lastAnswer: answered ? { round: answered.round, at: answered.updatedAt, from: answered.email } : null,
        endedAt: pair.endedAt ?? null,
      };
    })
    .sort(
      (a, b) =>
        Number(b.status === 'active') - Number(a.status === 'active') ||
        Number(b.atRisk) - Number(a.atRisk) ||
        a.mentee.name.localeCompare(b.mentee.name),
    );
  return { pairs: rows };
}

/** "Ana Silva & Tom Berg": a pair in one line. */
export const pairNames = (row: Pick<PairRow, 'mentee' | 'mentor'>) =>
  `${row.mentee.name} & ${row.mentor.name}`;
