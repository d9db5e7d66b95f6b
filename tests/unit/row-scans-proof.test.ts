import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { freeRow, unmatchedRow } from '../../shared/matching/cost-scaling.ts';
import { type ScoreTable, scoreColumn } from '../../shared/matching/pair-scores.ts';
import { pairCost, RowScans } from '../../shared/matching/row-scans.ts';
import { scoreRows, sharedTable } from '../support/score-table.ts';

const exitCost = 1500;

/**
 * A small table (rows best score first, as scoring leaves them), potentials of a few values so
 * that reduced costs tie at zero often, and a flow: mostly each mentee on one of its eligible
 * mentors or its exit, now and then on an ineligible mentor or nowhere (what the proof must
 * call broken).
 */
const proofProblem = fc
  .record({ mentees: fc.integer({ min: 1, max: 12 }), mentors: fc.integer({ min: 1, max: 8 }) })
  .chain(({ mentees, mentors }) =>
    fc.record({
      mentors: fc.constant(mentors),
      rows: scoreRows(mentees, mentors),
      pot: fc.array(fc.constantFrom(-1500, -1000, -350, -300, 0, 50, 300, 700), {
        minLength: mentees + mentors + 1,
        maxLength: mentees + mentors + 1,
      }),
      // Per mentee: which of its eligible mentors (an index taken modulo their number), its
      // exit, or, rarely, any mentor or nowhere.
      flow: fc.array(
        fc.oneof(
          { arbitrary: fc.nat(), weight: 8 },
          { arbitrary: fc.constant('exit' as const), weight: 2 },
          { arbitrary: fc.constant('any' as const), weight: 1 },
          { arbitrary: fc.constant('nowhere' as const), weight: 1 },
        ),
        { minLength: mentees, maxLength: mentees },
      ),
      skip: fc.array(fc.boolean(), { minLength: mentees, maxLength: mentees }),
    }),
  );

/** The proof's mentee side read the plain way: every arc of every mentee, in mentee order (`brokenAt`: the mentee of the arc broken). */
function everyArc(
  table: ScoreTable,
  skip: Uint8Array,
  pot: Float64Array,
  assigned: Int32Array,
): { violated: number[]; broken?: string; brokenAt?: number } {
  const n = table.mentees;
  const cost = pairCost(1);
  const score = scoreColumn(table);
  const pt = pot[n + table.mentors] ?? 0;
  const violated: number[] = [];
  for (let i = 0; i < n; i++) {
    if (skip[i]) continue;
    const own = assigned[i] ?? freeRow;
    const pi = pot[i] ?? 0;
    if (own === freeRow) return { violated, broken: `mentee ${i} placed nowhere`, brokenAt: i };
    const exitReduced = exitCost + pi - pt;
    if (own === unmatchedRow ? exitReduced > 0 : exitReduced < 0)
      return { violated, broken: `mentee ${i} exit`, brokenAt: i };
    const arcs: { j: number; reduced: number }[] = [];
    for (let k = table.rowStart[i] ?? 0; k < (table.rowStart[i + 1] ?? 0); k++) {
      const j = table.mentor[k] ?? 0;
      arcs.push({ j, reduced: cost(score[k] ?? 0) + pi - (pot[n + j] ?? 0) });
    }
    const ownArc = arcs.find(({ j }) => j === own);
    if (own !== unmatchedRow && !ownArc)
      return { violated, broken: `mentee ${i} has an ineligible mentor`, brokenAt: i };
    if (ownArc && ownArc.reduced > 0) return { violated, broken: `mentee ${i} → its mentor`, brokenAt: i };
    if (arcs.some(({ j, reduced }) => j !== own && reduced < 0)) violated.push(i);
  }
  return { violated };
}

describe('the proof’s scan of every eligible pair', () => {
  it('finds what reading every arc finds: the same violating mentees, the same first broken arc', () => {
    fc.assert(
      fc.property(proofProblem, (problem) => {
        const table = sharedTable(problem.rows, problem.mentors);
        const skip = Uint8Array.from(problem.skip, (s) => (s ? 1 : 0));
        const assigned = Int32Array.from(problem.flow, (choice, i) => {
          const eligible = Array.from(
            table.mentor.subarray(table.rowStart[i] ?? 0, table.rowStart[i + 1] ?? 0),
          );
          if (choice === 'exit') return unmatchedRow;
          if (choice === 'nowhere') return freeRow;
          if (choice === 'any') return i % problem.mentors;
          return eligible.length > 0 ? (eligible[choice % eligible.length] ?? 0) : unmatchedRow;
        });
        const pot = Float64Array.from(problem.pot);
        const scans = new RowScans(
          { table, capacity: new Int32Array(problem.mentors).fill(2), skip, unitsPerTenth: 1, D: exitCost },
          4,
        );
        expect(scans.residualOf(pot, assigned)).toEqual(everyArc(table, skip, pot, assigned));
      }),
      { numRuns: 2000 },
    );
  });
});
