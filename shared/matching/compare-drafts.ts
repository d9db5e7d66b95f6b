import type { MatchedPair, MatchSummary } from './run-matching.ts';

/** The parts of a draft a comparison reads. */
export interface ComparableDraft {
  pairs: readonly Pick<MatchedPair, 'mentee' | 'mentor' | 'score'>[];
  summary: Pick<MatchSummary, 'matched' | 'totalScore' | 'meanScore'>;
}

interface PairScore {
  mentee: string;
  mentor: string;
  score: number;
}

export interface DraftComparison {
  /** Mentees matched only in the new draft. */
  added: PairScore[];
  /** Mentees matched only in the previous draft. */
  removed: PairScore[];
  /** Mentees with a different mentor. */
  changed: { mentee: string; from: PairScore; to: PairScore; scoreDelta: number }[];
  /** Same pair, different score (the applications or the program changed). */
  rescored: { mentee: string; mentor: string; from: number; to: number; scoreDelta: number }[];
  unchanged: number;
  matchedDelta: number;
  totalScoreDelta: number;
  meanScoreDelta: number;
}

/** What changed from one draft to the next, mentee by mentee, in email order. */
export function compareDrafts(previous: ComparableDraft, next: ComparableDraft): DraftComparison {
  const before = new Map(previous.pairs.map((pair) => [pair.mentee, pair]));
  const after = new Map(next.pairs.map((pair) => [pair.mentee, pair]));
  const comparison: DraftComparison = {
    added: [],
    removed: [],
    changed: [],
    rescored: [],
    unchanged: 0,
    matchedDelta: next.summary.matched - previous.summary.matched,
    totalScoreDelta: round(next.summary.totalScore - previous.summary.totalScore),
    meanScoreDelta: round(next.summary.meanScore - previous.summary.meanScore),
  };
  const mentees = [...new Set([...before.keys(), ...after.keys()])].sort();
  for (const mentee of mentees) {
    const from = before.get(mentee);
    const to = after.get(mentee);
    if (!from && to) comparison.added.push(pick(to));
    else if (from && !to) comparison.removed.push(pick(from));
    else if (from && to && from.mentor !== to.mentor) {
      comparison.changed.push({
        mentee,
        from: pick(from),
        to: pick(to),
        scoreDelta: round(to.score - from.score),
      });
    } else if (from && to && from.score !== to.score) {
      comparison.rescored.push({
        mentee,
        mentor: to.mentor,
        from: from.score,
        to: to.score,
        scoreDelta: round(to.score - from.score),
      });
    } else if (from && to) comparison.unchanged++;
  }
  return comparison;
}

const pick = ({ mentee, mentor, score }: PairScore): PairScore => ({ mentee, mentor, score });
/** Scores have one decimal; differences of floats should too. */
const round = (value: number) => Math.round(value * 10) / 10;
