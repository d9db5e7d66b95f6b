import fc from 'fast-check';
import { mentorColumn, type ScoreTable, tableOfScores } from '../../shared/matching/pair-scores.ts';
import { typedArray } from '../../shared/matching/typed-arrays.ts';
import { sparseRows } from './sparse-rows.ts';

/**
 * Random score rows for the scans' tests: `mentees` rows of `mentors` scores, a few values so
 * that costs and reduced costs tie often, a third of the pairs not eligible (null).
 */
export function scoreRows(mentees: number, mentors: number) {
  return fc.array(
    fc.array(fc.option(fc.constantFrom(0, 300, 650, 700, 1000), { freq: 2 }), {
      minLength: mentors,
      maxLength: mentors,
    }),
    { minLength: mentees, maxLength: mentees },
  );
}

/**
 * A score table in shared memory, as scoring leaves a large cohort's (each row best score
 * first, ties to the lower mentor): `rows[i][j]` is the score of mentee i and mentor `first + j`
 * (null: not eligible); `mentors` in all.
 */
export function sharedTable(rows: (number | null)[][], mentors: number, first = 0): ScoreTable {
  const pairs = rows.map((row) =>
    row
      .flatMap((score, j) => (score === null ? [] : [{ j: first + j, score }]))
      .sort((a, b) => b.score - a.score || a.j - b.j),
  );
  const rowStart = typedArray(Int32Array, rows.length + 1, true);
  pairs.forEach((row, i) => {
    rowStart[i + 1] = (rowStart[i] ?? 0) + row.length;
  });
  const mentor = mentorColumn(mentors, rowStart[rows.length] ?? 0, true);
  const score = typedArray(Uint16Array, mentor.length, true);
  pairs.flat().forEach(({ j, score: s }, k) => {
    mentor[k] = j;
    score[k] = s;
  });
  const table = tableOfScores({ mentees: rows.length, mentors, rowStart, mentor, score });
  const runStart = typedArray(Int32Array, table.runStart.length, true);
  const runEnd = typedArray(Int32Array, table.runEnd.length, true);
  const runScore = typedArray(Uint16Array, table.runScore.length, true);
  runStart.set(table.runStart);
  runEnd.set(table.runEnd);
  runScore.set(table.runScore);
  return { ...table, runStart, runEnd, runScore, bestFirst: true };
}

/** A score table from a matrix of scores (null: not eligible), rows in mentor order, as the solvers' tests write their problems. */
export function tableOf(scores: (number | null)[][], mentors: number): ScoreTable {
  const { rowStart, column, value } = sparseRows(scores);
  return tableOfScores({
    mentees: scores.length,
    mentors,
    rowStart,
    mentor: column,
    score: Uint16Array.from(value),
  });
}
