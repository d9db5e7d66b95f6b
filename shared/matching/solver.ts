import { maximumCardinality } from './max-cardinality.ts';
import { MinHeap } from './min-heap.ts';
import { maxScoreTenths, type ScoreTable } from './scoring.ts';

/**
 * The exact matching: each mentee gets at most one mentor, each mentor at most their capacity,
 * and the objective is met exactly, not approximately.
 *
 * ## The problem as a min-cost flow
 * Every mentee (row) sends one unit either to a mentor (column) or to its own "unmatched"
 * exit; every column passes at most `capacity` units on to the sink t. Costs are integers:
 *   row → column:      A·(1000 − score)        (score in tenths)
 *   row → unmatched:   D = A·1000 + B
 * `quality`: A = rows + 1, B = 1 — the total score decides, then the number matched breaks ties.
 * `participation`: A = 1, B = rows·1000 + 1 — one more matched mentee outweighs any total
 * score, so the number matched decides and the total score breaks ties. All sums stay below
 * 2^53, so float64 arithmetic on them is exact.
 *
 * ## The algorithm
 * Successive shortest paths with node potentials p: the reduced cost of a residual arc a→b
 * is cost + p(a) − p(b). Mentees are added one at a time; each finds, by Dijkstra on
 * reduced costs, the cheapest way to place itself (possibly moving others along the way) and
 * the potentials are raised by the distances, which keeps every reduced cost ≥ 0. Capacities
 * are native: a full mentor is one node whose mentees are its outgoing arcs, never copied
 * into capacity columns.
 *
 * The search runs on a sparse candidate graph — each mentee's best few mentors — because most
 * pairs are weak. That alone would prove nothing, so:
 *
 * ## The optimality certificate
 * A flow is min-cost iff its residual graph has no negative cycle, and it has none iff there
 * are potentials under which every residual arc has reduced cost ≥ 0 (any cycle's cost is the
 * sum of its reduced costs). After solving, every residual arc of the FULL problem is checked:
 * every eligible pair, not only the candidates, plus the unmatched exits and the mentor → sink
 * arcs. If all hold, the assignment is optimal for the whole problem — anyone can re-check
 * it from the eligible pairs and the potentials. If an arc outside the candidates fails, its
 * mentee's candidates are widened with the pairs of least reduced cost and the solve resumes
 * from where it was (warm start): the mentee is taken out, mentors left with a free place are
 * repaired by cancelling the negative cycles through them, and the mentee is added again.
 */

export type Objective = 'participation' | 'quality';

export interface SolveOptions {
  objective: Objective;
  /** Places per mentor. */
  capacity: Int32Array;
  /** Mentees that are not part of the problem (already pinned), marked 1. */
  skipRows?: Uint8Array;
  /** How many best mentors per mentee the search starts with. */
  candidatesPerRow?: number;
}

export interface Certificate {
  /** Every residual arc of the full problem has a non-negative reduced cost: proven optimal. */
  optimal: boolean;
  /** Solve rounds: 1 when the first candidate graph already proved optimal. */
  rounds: number;
  candidatePairs: number;
  eligiblePairs: number;
}

export interface Solution {
  /** Mentor index per mentee, −1 when unmatched (or skipped). */
  mentorOf: Int32Array;
  certificate: Certificate;
}

const free = -1;
const unmatched = -2;

export function solveMatching(table: ScoreTable, options: SolveOptions): Solution {
  const n = table.mentees;
  const m = table.mentors;
  const { capacity: cap } = options;
  const skip = options.skipRows ?? new Uint8Array(n);
  const perRow = options.candidatesPerRow ?? 8;
  let rows = 0;
  for (let i = 0; i < n; i++) if (!skip[i]) rows++;
  const A = options.objective === 'quality' ? rows + 1 : 1;
  const D = A * maxScoreTenths + (options.objective === 'quality' ? 1 : rows * maxScoreTenths + 1);
  const costOf = (score: number) => A * (maxScoreTenths - score);

  // Nodes: mentees 0..n−1, mentors n..n+m−1, the sink t = n+m.
  const t = n + m;
  const pot = new Float64Array(n + m + 1);
  const assigned = new Int32Array(n).fill(free);
  const assignedCost = new Float64Array(n);
  const load = new Int32Array(m);
  const slotStart = new Int32Array(m + 1);
  for (let j = 0; j < m; j++) slotStart[j + 1] = (slotStart[j] ?? 0) + Math.max(0, cap[j] ?? 0);
  const slotRow = new Int32Array(slotStart[m] ?? 0).fill(-1);

  const dist = new Float64Array(n + m + 1).fill(Number.POSITIVE_INFINITY);
  const prev = new Int32Array(n + m + 1);
  const prevCost = new Float64Array(n + m + 1);
  const doneAt = new Uint32Array(n + m + 1);
  let search = 1;
  const reached: number[] = [];
  const settled: number[] = [];
  const heap = new MinHeap();
  // Among equal distances the heap settles the sink first, then mentors, then mentees, so a
  // search ends as soon as a free place is known instead of exploring a plateau of ties.
  const rank = (node: number) => (node === t ? 0 : node >= n ? node - n + 1 : node + m + 1);
  const nodeOf = (r: number) => (r === 0 ? t : r <= m ? n + r - 1 : r - m - 1);

  // The candidate graph, per mentee: mentors and arc costs, rebuilt when widened.
  const candidates = initialCandidates(table, perRow, skip, maximumCardinality(table, cap, skip));
  let candStart = new Int32Array(0);
  let candCol = new Int32Array(0);
  let candCost = new Float64Array(0);
  const buildCandidateGraph = () => {
    candStart = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) candStart[i + 1] = (candStart[i] ?? 0) + (candidates[i]?.length ?? 0);
    candCol = new Int32Array(candStart[n] ?? 0);
    candCost = new Float64Array(candStart[n] ?? 0);
    for (let i = 0; i < n; i++) {
      let k = candStart[i] ?? 0;
      for (const entry of candidates[i] ?? []) {
        candCol[k] = mentorOfEntry(entry);
        candCost[k++] = costOf(entry % entryBase);
      }
    }
  };

  const relax = (node: number, key: number, from: number, cost: number) => {
    if (key < (dist[node] ?? 0)) {
      if (dist[node] === Number.POSITIVE_INFINITY) reached.push(node);
      dist[node] = key;
      prev[node] = from;
      prevCost[node] = cost;
      heap.push(key, rank(node));
    }
  };

  /** Relaxes the residual arcs out of a settled mentee or mentor (not the sink's). */
  const expand = (x: number, d: number, toSink: boolean) => {
    if (x < n) {
      const own = assigned[x] ?? free;
      const px = pot[x] ?? 0;
      for (let k = candStart[x] ?? 0, end = candStart[x + 1] ?? 0; k < end; k++) {
        const j = candCol[k] ?? 0;
        if (j === own) continue;
        const c = candCost[k] ?? 0;
        relax(n + j, d + c + px - (pot[n + j] ?? 0), x, c);
      }
      if (toSink && own !== unmatched) relax(t, d + D + px - (pot[t] ?? 0), x, D);
      return;
    }
    const j = x - n;
    const px = pot[x] ?? 0;
    for (let s = slotStart[j] ?? 0, end = slotStart[j + 1] ?? 0; s < end; s++) {
      const r = slotRow[s] ?? -1;
      if (r >= 0) relax(r, d - (assignedCost[r] ?? 0) + px - (pot[r] ?? 0), x, 0);
    }
    if (toSink && (load[j] ?? 0) < (cap[j] ?? 0)) relax(t, d + px - (pot[t] ?? 0), x, 0);
  };

  /** Settles nodes in distance order until `target` is settled or the next distance reaches `limit`. */
  const dijkstra = (target: number, limit: number): boolean => {
    while (heap.size > 0) {
      const d = heap.topKey;
      const x = nodeOf(heap.topNode);
      heap.pop();
      if (doneAt[x] === search || d > (dist[x] ?? 0)) continue;
      if (d >= limit) return false;
      doneAt[x] = search;
      settled.push(x);
      if (x === target) return true;
      if (x === t) expandSink(d);
      else expand(x, d, target === t);
    }
    return false;
  };

  /** From the sink (cycle cancelling only): back into loaded mentors and unmatched mentees. */
  const expandSink = (d: number) => {
    const pt = pot[t] ?? 0;
    for (let j = 0; j < m; j++) if ((load[j] ?? 0) > 0) relax(n + j, d + pt - (pot[n + j] ?? 0), t, 0);
    for (let i = 0; i < n; i++) if (assigned[i] === unmatched) relax(i, d + pt - (pot[i] ?? 0) - D, t, D);
  };

  /** Lowers potentials of settled nodes so reduced costs stay ≥ 0 and the path found is tight. */
  const finishSearch = (level: number) => {
    for (const x of settled) pot[x] = (pot[x] ?? 0) + (dist[x] ?? 0) - level;
    for (const x of reached) dist[x] = Number.POSITIVE_INFINITY;
    reached.length = 0;
    settled.length = 0;
    heap.clear();
    search++;
  };

  const moveRow = (row: number, to: number, cost: number) => {
    const from = assigned[row] ?? free;
    if (from >= 0) {
      for (let s = slotStart[from] ?? 0; s < (slotStart[from + 1] ?? 0); s++) {
        if (slotRow[s] === row) {
          slotRow[s] = -1;
          break;
        }
      }
      load[from] = (load[from] ?? 0) - 1;
    }
    if (to >= 0) {
      let s = slotStart[to] ?? 0;
      while (slotRow[s] !== -1) s++;
      slotRow[s] = row;
      load[to] = (load[to] ?? 0) + 1;
    }
    assigned[row] = to;
    assignedCost[row] = cost;
  };

  /**
   * Shifts mentees along a path found by the last search, read backwards from its end: the
   * sink (placing `source`) or a mentor (cancelling a cycle from the sink). Each mentee on the
   * path moves to the next node's mentor; the place it leaves goes to the mentee before it.
   */
  const shiftAlong = (end: number, source: number) => {
    let row: number;
    let to: number;
    let cost: number;
    const last = end === t ? (prev[t] ?? 0) : end;
    if (last < n) {
      row = last;
      to = unmatched;
      cost = D;
    } else {
      row = prev[last] ?? 0;
      to = last - n;
      cost = prevCost[last] ?? 0;
    }
    for (;;) {
      const from = prev[row] ?? t;
      moveRow(row, to, cost);
      // Done at the new mentee, or at a mentee that was unmatched (entered from the sink).
      if (row === source || from === t) return;
      to = from - n;
      cost = prevCost[from] ?? 0;
      row = prev[from] ?? t;
      // A mentor entered from the sink just gives up the place.
      if (row === t) return;
    }
  };

  /** Places a free mentee by the shortest augmenting path to the sink. */
  const place = (s: number) => {
    let best = (pot[t] ?? 0) - D;
    for (let k = candStart[s] ?? 0, end = candStart[s + 1] ?? 0; k < end; k++) {
      best = Math.max(best, (pot[n + (candCol[k] ?? 0)] ?? 0) - (candCost[k] ?? 0));
    }
    pot[s] = best;
    dist[s] = 0;
    reached.push(s);
    heap.push(0, rank(s));
    dijkstra(t, Number.POSITIVE_INFINITY);
    finishSearch(dist[t] ?? 0);
    shiftAlong(t, s);
  };

  /**
   * A mentor with a free place whose arc to the sink has negative reduced cost: cancels the
   * negative cycles through that arc (sink → … → mentor → sink) until none is left.
   */
  const repair = (j: number) => {
    for (;;) {
      const slack = (pot[n + j] ?? 0) - (pot[t] ?? 0);
      if (slack >= 0 || (load[j] ?? 0) >= (cap[j] ?? 0)) return;
      dist[t] = 0;
      reached.push(t);
      heap.push(0, rank(t));
      const found = dijkstra(n + j, -slack);
      finishSearch(found ? (dist[n + j] ?? 0) : -slack);
      if (!found) return;
      shiftAlong(n + j, t);
    }
  };

  // Round 1: every mentee placed on the candidate graph.
  buildCandidateGraph();
  for (let i = 0; i < n; i++) if (!skip[i]) place(i);
  let rounds = 1;
  for (;;) {
    const violated = checkCertificate();
    if (violated.length === 0) break;
    rounds++;
    widen(violated);
    buildCandidateGraph();
    const deficient = new Set<number>();
    for (const i of violated) {
      const j = assigned[i] ?? free;
      moveRow(i, free, 0);
      if (j >= 0) deficient.add(j);
    }
    for (const j of [...deficient].sort((a, b) => a - b)) repair(j);
    for (const i of violated) place(i);
  }

  const mentorOf = Int32Array.from(assigned, (j) => (j >= 0 ? j : -1));
  return {
    mentorOf,
    certificate: {
      optimal: true,
      rounds,
      candidatePairs: candStart[n] ?? 0,
      eligiblePairs: table.score.length,
    },
  };

  /**
   * Checks every residual arc of the full problem. Returns the mentees with an eligible pair
   * outside their candidates whose reduced cost is negative; any other failure is a bug.
   */
  function checkCertificate(): number[] {
    const violated: number[] = [];
    const pt = pot[t] ?? 0;
    for (let j = 0; j < m; j++) {
      const pj = pot[n + j] ?? 0;
      if ((load[j] ?? 0) < (cap[j] ?? 0) && pj - pt < 0) throw certificateBug(`mentor ${j} → sink`);
      if ((load[j] ?? 0) > 0 && pt - pj < 0) throw certificateBug(`sink → mentor ${j}`);
    }
    for (let i = 0; i < n; i++) {
      if (skip[i]) continue;
      const own = assigned[i] ?? free;
      const pi = pot[i] ?? 0;
      if (own === unmatched ? pt - pi - D < 0 : D + pi - pt < 0) throw certificateBug(`mentee ${i} exit`);
      let bad = false;
      for (let k = table.rowStart[i] ?? 0, end = table.rowStart[i + 1] ?? 0; k < end; k++) {
        const j = table.mentor[k] ?? 0;
        const c = costOf(table.score[k] ?? 0);
        const reduced = j === own ? -c + (pot[n + j] ?? 0) - pi : c + pi - (pot[n + j] ?? 0);
        if (reduced < 0) {
          if (j === own) throw certificateBug(`mentee ${i} → its mentor`);
          bad = true;
        }
      }
      if (bad) violated.push(i);
    }
    return violated;
  }

  /** Adds to each violating mentee the `perRow` outside pairs of least reduced cost. */
  function widen(violated: number[]) {
    for (const i of violated) {
      const list = candidates[i] ?? [];
      const have = new Set(list.map(mentorOfEntry));
      const pi = pot[i] ?? 0;
      const outside: { entry: number; reduced: number }[] = [];
      for (let k = table.rowStart[i] ?? 0, end = table.rowStart[i + 1] ?? 0; k < end; k++) {
        const j = table.mentor[k] ?? 0;
        if (have.has(j)) continue;
        const score = table.score[k] ?? 0;
        outside.push({ entry: j * entryBase + score, reduced: costOf(score) + pi - (pot[n + j] ?? 0) });
      }
      outside.sort((a, b) => a.reduced - b.reduced || a.entry - b.entry);
      for (const { entry } of outside.slice(0, perRow)) list.push(entry);
      candidates[i] = list;
    }
  }
}

/** Candidates are packed as mentor × entryBase + score. */
const entryBase = 0x10000;
const mentorOfEntry = (entry: number) => Math.floor(entry / entryBase);

/** Each mentee's `perRow` best-scoring mentors (ties: lower index), and its `seed` mentor. */
function initialCandidates(
  table: ScoreTable,
  perRow: number,
  skip: Uint8Array,
  seed: Int32Array,
): number[][] {
  const lists: number[][] = [];
  for (let i = 0; i < table.mentees; i++) {
    const best: number[] = [];
    if (!skip[i]) {
      for (let k = table.rowStart[i] ?? 0, end = table.rowStart[i + 1] ?? 0; k < end; k++) {
        const score = table.score[k] ?? 0;
        if (best.length === perRow && score <= (best[perRow - 1] ?? 0) % entryBase) continue;
        const entry = (table.mentor[k] ?? 0) * entryBase + score;
        let at = best.length < perRow ? best.length : perRow - 1;
        while (at > 0 && (best[at - 1] ?? 0) % entryBase < score) {
          best[at] = best[at - 1] ?? 0;
          at--;
        }
        best[at] = entry;
      }
      const j = seed[i] ?? -1;
      if (j >= 0 && !best.some((entry) => mentorOfEntry(entry) === j)) {
        for (let k = table.rowStart[i] ?? 0, end = table.rowStart[i + 1] ?? 0; k < end; k++) {
          if (table.mentor[k] === j) best.push(j * entryBase + (table.score[k] ?? 0));
        }
      }
    }
    lists.push(best);
  }
  return lists;
}

function certificateBug(arc: string): Error {
  return new Error(`matching solver: reduced cost of ${arc} is negative; the solution is not proven optimal`);
}
