import { type ScoreTable, scoreColumn } from '../../shared/matching/pair-scores.ts';
import type { Objective } from '../../shared/matching/solver.ts';

/** The objective as a comparable pair: [primary, tie-break]. */
export type ObjectiveValue = [number, number];

export function objectiveValue(objective: Objective, matched: number, total: number): ObjectiveValue {
  return objective === 'participation' ? [matched, total] : [total, matched];
}

/**
 * The best objective value over every assignment, by enumeration: each mentee takes one of
 * its eligible mentors with a free place, or none. Rows with a fixed mentor keep it.
 */
export function bruteForceOptimum(
  table: ScoreTable,
  capacity: Int32Array,
  objective: Objective,
  fixed: Int32Array = new Int32Array(table.mentees).fill(-1),
): ObjectiveValue {
  const load = new Int32Array(table.mentors);
  const score = scoreColumn(table);
  let best: ObjectiveValue = [-1, -1];
  const visit = (i: number, matched: number, total: number) => {
    if (i === table.mentees) {
      const value = objectiveValue(objective, matched, total);
      if (value[0] > best[0] || (value[0] === best[0] && value[1] > best[1])) best = value;
      return;
    }
    if ((fixed[i] ?? -1) >= 0) return visit(i + 1, matched, total);
    visit(i + 1, matched, total);
    for (let k = table.rowStart[i] ?? 0; k < (table.rowStart[i + 1] ?? 0); k++) {
      const j = table.mentor[k] ?? 0;
      if ((load[j] ?? 0) >= (capacity[j] ?? 0)) continue;
      load[j] = (load[j] ?? 0) + 1;
      visit(i + 1, matched + 1, total + (score[k] ?? 0));
      load[j] = (load[j] ?? 0) - 1;
    }
  };
  visit(0, 0, 0);
  return best;
}
