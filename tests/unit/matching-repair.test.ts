import { describe, expect, it } from 'vitest';
import { repairByShortestPaths } from '../../shared/matching/repair.ts';

/**
 * Three mentees on mentors 0–2 (one place each, every pair costing 10), mentor 3 free, exits
 * at 100: every residual arc has a reduced cost of 0 (cost + p(from) − p(to)) but the pairs in
 * `cheap`, which cost 5 and beat the mentee's own. `lists` are the mentees' pairs, in order.
 */
function tiedCohort(lists: number[][], cheap: [number, number][]) {
  const start = Int32Array.from([0, ...lists.map((_, i) => lists.slice(0, i + 1).flat().length)]);
  const mentor = Int32Array.from(lists.flat());
  const cost = Int32Array.from(
    lists.flatMap((list, i) => list.map((j) => (cheap.some(([a, b]) => a === i && b === j) ? 5 : 10))),
  );
  // Mentees −10, mentors and the sink 0: the nodes are the mentees, the mentors, then the sink.
  const pot = Float64Array.from([-10, -10, -10, 0, 0, 0, 0, 0]);
  const flow = { assigned: Int32Array.from([0, 1, 2]), assignedCost: Float64Array.from([10, 10, 10]) };
  return { graph: { start, mentor, cost }, pot, flow, capacity: Int32Array.from([1, 1, 1, 1]) };
}

/** Every residual arc's reduced cost, as the repair must leave them: none negative. */
function reducedCosts({ graph, pot, flow, capacity }: ReturnType<typeof tiedCohort>): number[] {
  const n = flow.assigned.length;
  const t = n + capacity.length;
  const costs: number[] = [];
  for (let i = 0; i < n; i++) {
    const own = flow.assigned[i] ?? -1;
    for (let k = graph.start[i] ?? 0; k < (graph.start[i + 1] ?? 0); k++) {
      const j = graph.mentor[k] ?? 0;
      const c = (graph.cost[k] ?? 0) + (pot[i] ?? 0) - (pot[n + j] ?? 0);
      // The pair it holds is a mentor's arc back to it.
      costs.push(j === own ? -c : c);
    }
    costs.push(100 + (pot[i] ?? 0) - (pot[t] ?? 0));
  }
  capacity.forEach((places, j) => {
    const load = flow.assigned.filter((own) => own === j).length;
    if (load < places) costs.push((pot[n + j] ?? 0) - (pot[t] ?? 0));
    if (load > 0) costs.push((pot[t] ?? 0) - (pot[n + j] ?? 0));
  });
  return costs;
}

describe('the repair by shortest paths', () => {
  const every = [0, 1, 2, 3];

  it('moves a mentee to the pair that beats its own and leaves no arc negative', () => {
    const cohort = tiedCohort([[3, 1, 2, 0], every, every], [[0, 3]]);
    expect(Math.min(...reducedCosts(cohort))).toBeLessThan(0);
    const { graph, pot, flow, capacity } = cohort;
    expect(repairByShortestPaths(graph, capacity, 100, flow, pot, [0], Number.POSITIVE_INFINITY, 0)).toBe(
      true,
    );
    expect([...flow.assigned]).toEqual([3, 1, 2]);
    expect([...flow.assignedCost]).toEqual([5, 10, 10]);
    expect(Math.min(...reducedCosts(cohort))).toBeGreaterThanOrEqual(0);
  });

  it('ends a search as soon as it reaches a node short at the distance it is settling', () => {
    // Mentees 0 and 1 leave mentors 0 and 1, which are short then. Mentee 0's search reaches
    // mentor 1 by its third pair at distance 0, the nearest a node can be: it reads no
    // further (a budget of 3 reads is enough), and mentee 1's, the last, finds mentor 0.
    const cohort = tiedCohort(
      [[2, 3, 1, 0], every, every],
      [
        [0, 1],
        [1, 3],
      ],
    );
    const { graph, pot, flow, capacity } = cohort;
    expect(repairByShortestPaths(graph, capacity, 100, flow, pot, [0, 1], 3, 1)).toBe(true);
    expect([...flow.assigned]).toEqual([1, 3, 2]);
    expect(Math.min(...reducedCosts(cohort))).toBeGreaterThanOrEqual(0);
  });
});
