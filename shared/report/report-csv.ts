import { stringify } from 'csv-stringify/sync';
import type { PairRecord, RoundFigures } from './cohort-report.ts';

/**
 * `pairs.csv` and `rounds.csv`, for the organizer's records. The headers are a contract
 * (docs/cli.md); lists are joined with "; " as in the applications CSV.
 */
export const pairsCsvHeader = [
  'pair_id',
  'mentee_name',
  'mentee_email',
  'mentor_name',
  'mentor_email',
  'score',
  'origin',
  'start_round',
  'status',
  'end_kind',
  'ended_at',
  'end_reason',
  'ladder_rung',
  'at_risk_reason',
  'rounds_met',
  'last_met_round',
  'mean_rating',
  'shared_topics',
] as const;

export const roundsCsvHeader = [
  'round',
  'kind',
  'date',
  'checked_in',
  'answered',
  'response_rate',
  'pairs',
  'pairs_met',
  'meeting_rate',
  'nudged',
  'ratings',
  'mean_rating',
  'usefulness_answers',
  'mean_usefulness',
] as const;

export function pairsCsv(pairs: PairRecord[]): string {
  return csv(
    pairsCsvHeader,
    pairs.map((p) => [
      p.pair,
      p.menteeName,
      p.menteeEmail,
      p.mentorName,
      p.mentorEmail,
      p.score,
      p.origin,
      p.startRound,
      p.status,
      p.endKind,
      p.endedAt,
      p.endReason,
      p.ladderRung,
      p.atRiskReason,
      p.roundsMet,
      p.lastMetRound,
      p.meanRating,
      p.sharedTopics.join('; '),
    ]),
  );
}

export function roundsCsv(rounds: RoundFigures[]): string {
  return csv(
    roundsCsvHeader,
    rounds.map((r) => [
      r.round,
      r.kind,
      r.date,
      r.checkedIn,
      r.answered,
      r.responseRate,
      r.pairs,
      r.pairsMet,
      r.meetingRate,
      r.nudged,
      r.ratings,
      r.meanRating,
      r.usefulnessAnswers,
      r.meanUsefulness,
    ]),
  );
}

export type CsvCell = string | number | boolean | null | undefined;

/**
 * A CSV with a header row. Text a spreadsheet would run as a formula (=, +, -, @ first) gets a
 * leading apostrophe: names and reasons come from participants.
 */
export function csv(header: readonly string[], rows: CsvCell[][]): string {
  const safe = (cell: CsvCell) =>
    typeof cell === 'string' && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : (cell ?? '');
  return stringify([[...header], ...rows.map((row) => row.map(safe))], {
    cast: { boolean: (value) => (value ? 'true' : 'false') },
  });
}
