import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maximumCardinality } from '../../shared/matching/max-cardinality.ts';
import type { ScoreTable } from '../../shared/matching/pair-scores.ts';
import { minCostOptimum } from '../support/min-cost-oracle.ts';
import { tableOf } from '../support/score-table.ts';
import { gappyMatrix } from '../support/sparse-rows.ts';

/** Small random problems: up to 7 mentees, 4 mentors, capacities 0–3, some pairs ineligible. */
const problem = fc
  .record({ mentees: fc.integer({ min: 1, max: 7 }), mentors: fc.integer({ min: 1, max: 4 }) })
  .chain(({ mentees, mentors }) =>
    fc.record({
      scores: gappyMatrix(mentees, mentors, fc.integer({ min: 0, max: 1000 }), 1),
      capacity: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: mentors, maxLength: mentors }),
      skipped: fc.array(fc.boolean(), { minLength: mentees, maxLength: mentees }),
    }),
  );

/** Every maximum-cardinality assignment, by enumeration (skipped mentees stay out). */
function maximumAssignments(table: ScoreTable, capacity: Int32Array, skip: Uint8Array): Int32Array[] {
  const load = new Int32Array(table.mentors);
  const mentorOf = new Int32Array(table.mentees).fill(-1);
  let best = -1;
  let found: Int32Array[] = [];
  const visit = (i: number, matched: number) => {
    if (i === table.mentees) {
      if (matched > best) {
        best = matched;
        found = [];
      }
      if (matched === best) found.push(Int32Array.from(mentorOf));
      return;
    }
    visit(i + 1, matched);
    if (skip[i]) return;
    for (let k = table.rowStart[i] ?? 0; k < (table.rowStart[i + 1] ?? 0); k++) {
      const j = table.mentor[k] ?? 0;
      if ((load[j] ?? 0) >= (capacity[j] ?? 0)) continue;
      load[j] = (load[j] ?? 0) + 1;
      mentorOf[i] = j;
      visit(i + 1, matched + 1);
      mentorOf[i] = -1;
      load[j] = (load[j] ?? 0) - 1;
    }
  };
  visit(0, 0);
  return found;
}

// The one-by-one searches (the default budget, which these small problems never exhaust), and
// Hopcroft–Karp's phases from the greedy start (a budget of none).
describe.each([
  { how: 'one search at a time', budget: undefined },
  { how: 'in phases', budget: 0 },
])('maximum-cardinality matching and the contested region, augmented $how', ({ budget }) => {
  it('matches as many mentees as brute force, and finds who may stay out and which mentors are always full', () => {
    fc.assert(
      fc.property(problem, ({ scores, capacity, skipped }) => {
        const table = tableOf(scores, capacity.length);
        const caps = Int32Array.from(capacity);
        const skip = Uint8Array.from(skipped, Number);
        const { mentorOf, contested, full } = maximumCardinality(table, caps, skip, budget);
        const maximum = maximumAssignments(table, caps, skip);

        // A valid matching of maximum size: eligible pairs, capacities kept, skipped rows out.
        const load = new Int32Array(caps.length);
        let matched = 0;
        mentorOf.forEach((j, i) => {
          if (j < 0) return;
          expect(skip[i], `skipped mentee ${i} matched`).toBe(0);
          const mentors = Array.from(table.mentor.subarray(table.rowStart[i], table.rowStart[i + 1]));
          expect(mentors, `mentee ${i} got an ineligible mentor`).toContain(j);
          load[j] = (load[j] ?? 0) + 1;
          matched++;
        });
        load.forEach((used, j) => {
          expect(used).toBeLessThanOrEqual(caps[j] ?? 0);
        });
        const size = maximum[0]?.reduce((count, j) => count + (j >= 0 ? 1 : 0), 0) ?? 0;
        expect(matched).toBe(size);

        // Contested: exactly the mentees (with an eligible mentor) some maximum matching leaves out.
        for (let i = 0; i < table.mentees; i++) {
          const hasPairs = (table.rowStart[i + 1] ?? 0) > (table.rowStart[i] ?? 0);
          const leftOut = !skip[i] && hasPairs && maximum.some((assignment) => assignment[i] === -1);
          expect(contested[i] === 1, `mentee ${i} contested`).toBe(leftOut);
        }
        // Full: every mentor a contested mentee can reach is full in every maximum matching.
        for (let j = 0; j < caps.length; j++) {
          if (!full[j]) continue;
          for (const assignment of maximum) {
            expect(assignment.filter((to) => to === j).length, `mentor ${j} full`).toBe(caps[j] ?? 0);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('on middle-sized cohorts, agrees with a max-flow on the size, on who may stay out and on who is always full', () => {
    // Many mentees per place, and everyone's best-scoring mentors the same few: the greedy start
    // leaves mentees that only long augmenting paths through full mentors can place.
    const crowded = fc
      .record({ mentees: fc.integer({ min: 8, max: 36 }), mentors: fc.integer({ min: 3, max: 10 }) })
      .chain(({ mentees, mentors }) =>
        fc.record({
          scores: gappyMatrix(mentees, mentors, fc.integer({ min: 0, max: 1000 }), 3),
          capacity: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: mentors, maxLength: mentors }),
        }),
      );
    fc.assert(
      fc.property(crowded, ({ scores, capacity }) => {
        const table = tableOf(scores, capacity.length);
        const caps = Int32Array.from(capacity);
        const size = (t: ScoreTable, c: Int32Array) => minCostOptimum(t, c, 'participation')[0];
        const { mentorOf, contested, full } = maximumCardinality(
          table,
          caps,
          new Uint8Array(table.mentees),
          budget,
        );
        const maximum = size(table, caps);
        expect(mentorOf.filter((j) => j >= 0).length).toBe(maximum);
        for (let i = 0; i < table.mentees; i++) {
          // Some maximum matching leaves i out iff the others alone still reach the maximum.
          const without = scores.map((row, r) => (r === i ? row.map(() => null) : row));
          const hasPairs = scores[i]?.some((s) => s !== null) ?? false;
          expect(contested[i] === 1, `mentee ${i} contested`).toBe(
            hasPairs && size(tableOf(without, caps.length), caps) === maximum,
          );
        }
        for (let j = 0; j < caps.length; j++) {
          if (!full[j] || (caps[j] ?? 0) === 0) continue;
          // Full in every maximum matching: one place fewer shrinks the maximum.
          const fewer = Int32Array.from(caps, (c, x) => (x === j ? c - 1 : c));
          expect(size(table, fewer), `mentor ${j} always full`).toBe(maximum - 1);
        }
      }),
      { numRuns: 200 },
    );
  });
});
