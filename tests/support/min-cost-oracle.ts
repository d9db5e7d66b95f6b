import { type ScoreTable, scoreColumn } from '../../shared/matching/pair-scores.ts';
import type { Objective } from '../../shared/matching/solver.ts';
import { type ObjectiveValue, objectiveValue } from './brute-force.ts';

/**
 * The optimum by the textbook method, independent of the solver: successive shortest paths
 * with Bellman–Ford (queue-based) on the plain flow network source → mentee → mentor → sink,
 * augmenting while a path still improves the objective. Each pair is worth its score, plus,
 * for `participation`, a bonus larger than any total score (one more mentee matched wins);
 * for `quality`, one point more per pair than the scores' scale (a tie on score goes to more
 * mentees matched). Slow — for cohorts of a few hundred people.
 */
export function minCostOptimum(
  table: ScoreTable,
  capacity: Int32Array,
  objective: Objective,
): ObjectiveValue {
  const n = table.mentees;
  const m = table.mentors;
  const score = scoreColumn(table);
  const source = n + m;
  const sink = n + m + 1;
  const nodes = n + m + 2;
  const to: number[] = [];
  const cap: number[] = [];
  const cost: number[] = [];
  const out: number[][] = Array.from({ length: nodes }, () => []);
  /** The score of each mentee → mentor arc, by arc index. */
  const pairScore = new Map<number, number>();
  const arc = (a: number, b: number, c: number, units: number) => {
    out[a]?.push(to.length);
    to.push(b);
    cap.push(units);
    cost.push(c);
    out[b]?.push(to.length);
    to.push(a);
    cap.push(0);
    cost.push(-c);
  };
  const bonus = 1000 * n + 1;
  const value = (score: number) => (objective === 'participation' ? bonus + score : score * (n + 1) + 1);
  for (let i = 0; i < n; i++) {
    arc(source, i, 0, 1);
    for (let k = table.rowStart[i] ?? 0; k < (table.rowStart[i + 1] ?? 0); k++) {
      pairScore.set(to.length, score[k] ?? 0);
      arc(i, n + (table.mentor[k] ?? 0), -value(score[k] ?? 0), 1);
    }
  }
  for (let j = 0; j < m; j++) arc(n + j, sink, 0, Math.max(0, capacity[j] ?? 0));

  let matched = 0;
  let total = 0;
  for (;;) {
    const dist = new Array<number>(nodes).fill(Number.POSITIVE_INFINITY);
    const via = new Array<number>(nodes).fill(-1);
    const queued = new Array<boolean>(nodes).fill(false);
    dist[source] = 0;
    const queue = [source];
    while (queue.length > 0) {
      const u = queue.shift() ?? 0;
      queued[u] = false;
      for (const e of out[u] ?? []) {
        const v = to[e] ?? 0;
        const d = (dist[u] ?? 0) + (cost[e] ?? 0);
        if ((cap[e] ?? 0) > 0 && d < (dist[v] ?? 0)) {
          dist[v] = d;
          via[v] = e;
          if (!queued[v]) {
            queued[v] = true;
            queue.push(v);
          }
        }
      }
    }
    if (!((dist[sink] ?? 0) < 0)) break;
    for (let v = sink; v !== source; v = to[(via[v] ?? 0) ^ 1] ?? 0) {
      const e = via[v] ?? 0;
      cap[e] = (cap[e] ?? 0) - 1;
      cap[e ^ 1] = (cap[e ^ 1] ?? 0) + 1;
    }
  }
  // Read the matching off the mentee → mentor arcs that carry flow.
  for (let i = 0; i < n; i++) {
    for (const e of out[i] ?? []) {
      const score = pairScore.get(e);
      if (score !== undefined && cap[e] === 0) {
        matched++;
        total += score;
      }
    }
  }
  return objectiveValue(objective, matched, total);
}
