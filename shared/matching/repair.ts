import { type CandidateGraph, type FlowArrays, freeRow, unmatchedRow } from './cost-scaling.ts';
import { MinHeap } from './min-heap.ts';

/**
 * Repairs a proven solution after a few mentees' candidate lists gained pairs that beat their
 * own (negative reduced cost), by one shortest-path search per such mentee, instead of
 * another round of cost scaling over the whole candidate graph.
 *
 * On entry the flow is feasible and the integer potentials `pot` (mentees, mentors, then the
 * sink) give every residual arc of the candidate graph a non-negative reduced cost (cost +
 * p(from) − p(to)), except the new pairs of the mentees in `violators`. Every violator leaves
 * its mentor (or its exit) at once, which is then a unit short, and its potential rises until
 * none of its arcs is negative (no residual arc enters it now): no arc is negative any more.
 * Then, for each violator in turn, a Dijkstra search from it finds the cheapest way to the
 * nearest node that is short (successive shortest paths); the flow moves along that path, and
 * the potentials of the nodes the search settled fall by how much nearer they were than that
 * node, which keeps every arc non-negative. After the last search, no arc of the candidate
 * graph is negative: the caller's check on every eligible pair decides whether the solution is
 * optimal or more pairs are needed.
 *
 * Going to the nearest node short, most searches settle two nodes and the long ones come last:
 * `two-places-50k`'s 190 violators took 0.62 s. Going back each to its own mentor, as the
 * searches did before, they took 1.26 s, and the long ones came early (the budget stopped the
 * repair with 95 left); `contention-50k`'s 151 the other way round, 0.79 s against 0.46.
 * A search ends as soon as it reaches a node short at the distance it is settling, rather
 * than when it settles it: on one-place cohorts most searches end at distance 0, among
 * hundreds of mentees tied there (one place at 170%: 90 searches settled 54,340 nodes instead
 * of 75,552; one place with 50 unplaceable 22,805 instead of 29,913; `contention-10k` 34,130
 * instead of 45,385; the same matches).
 *
 * Returns false when the searches read more than `arcBudget` arcs before the last
 * `lastSearches` (which run to the end whatever the budget: each reads the graph at most once,
 * where cost scaling reads it many times). The flow is then consistent, with the violators not
 * yet searched from free, and so are the potentials: the caller resumes cost scaling from them.
 */
export function repairByShortestPaths(
  graph: CandidateGraph,
  capacity: Int32Array,
  exitCost: number,
  flow: FlowArrays,
  pot: Float64Array,
  violators: readonly number[],
  arcBudget: number,
  lastSearches: number,
): boolean {
  const n = flow.assigned.length;
  const m = capacity.length;
  const t = n + m;
  const nodes = t + 1;
  const { start, mentor, cost } = graph;
  const { assigned, assignedCost } = flow;
  const places = new Places(capacity, assigned);
  /** The mentors with places: only they can pass units on to the sink (or be short). */
  const withPlaces = Int32Array.from(capacity.keys()).filter((j) => (capacity[j] ?? 0) > 0);

  const dist = new Float64Array(nodes);
  const reachedAt = new Int32Array(nodes);
  const settledAt = new Int32Array(nodes);
  const settled = new Int32Array(nodes);
  /** How each node was reached: the node before it, and for a mentor reached from a mentee, the pair's cost. */
  const via = new Int32Array(nodes);
  const viaCost = new Float64Array(nodes);
  const queue = new MinHeap();
  let stamp = 0;
  let budget = arcBudget;
  /** The distance of the node the search settled last: no node can be nearer. */
  let settling = 0;
  /** A node short that the search reached at `settling`: the nearest there is (−1 while none). */
  let nearestShort = -1;
  const reach = (v: number, d: number, from: number, c: number) => {
    if (settledAt[v] === stamp || (reachedAt[v] === stamp && d >= (dist[v] ?? 0))) return;
    reachedAt[v] = stamp;
    dist[v] = d;
    via[v] = from;
    viaCost[v] = c;
    if (d === settling && (shortBy[v] ?? 0) > 0) nearestShort = v;
    queue.push(v, d);
  };

  /** Takes mentee i off its mentor or exit. */
  const detach = (i: number) => {
    const own = assigned[i] ?? freeRow;
    if (own >= 0) places.remove(i, own);
    assigned[i] = freeRow;
  };

  /** Units each node is short: the mentors (or the sink, for exits) the violators left. */
  const shortBy = new Int32Array(nodes);
  for (const source of violators) {
    const own = assigned[source] ?? freeRow;
    const short = own >= 0 ? n + own : t;
    shortBy[short] = (shortBy[short] ?? 0) + 1;
    detach(source);
  }
  for (const source of violators) raiseToFit(source);
  for (const [index, source] of violators.entries()) {
    if (violators.length - index <= lastSearches) budget = Number.POSITIVE_INFINITY;
    const reached = search(source);
    if (reached < 0) return false;
    const short = settled[reached - 1] ?? t;
    shiftPotentials(short, reached);
    moveAlongPath(source, short);
    shortBy[short] = (shortBy[short] ?? 0) - 1;
  }
  return true;

  /** Raises a mentee with no unit on it until none of its arcs has a negative reduced cost. */
  function raiseToFit(i: number) {
    const pi = pot[i] ?? 0;
    let least = exitCost + pi - (pot[t] ?? 0);
    for (let k = start[i] ?? 0, end = start[i + 1] ?? 0; k < end; k++) {
      least = Math.min(least, (cost[k] ?? 0) + pi - (pot[n + (mentor[k] ?? 0)] ?? 0));
    }
    if (least < 0) pot[i] = pi - least;
  }

  /**
   * Dijkstra from `source` until a node that is short is settled, over the arcs (none
   * negative); the number of nodes settled (that node last), or −1 when the budget runs out
   * first. A mentor with no places is a node like the others (pairs reach it, none leave it),
   * so that its potential moves with the rest.
   */
  function search(source: number): number {
    stamp++;
    let count = 0;
    queue.size = 0;
    settling = 0;
    nearestShort = -1;
    reach(source, 0, -1, 0);
    while (queue.size > 0) {
      const u = queue.pop();
      if (settledAt[u] === stamp) continue;
      settledAt[u] = stamp;
      settled[count++] = u;
      if ((shortBy[u] ?? 0) > 0) return count;
      const du = dist[u] ?? 0;
      settling = du;
      const pu = pot[u] ?? 0;
      if (u < n) {
        const own = assigned[u] ?? freeRow;
        const end = start[u + 1] ?? 0;
        let k = start[u] ?? 0;
        for (; k < end && nearestShort < 0; k++) {
          const j = mentor[k] ?? 0;
          if (j !== own) arc(u, du, n + j, (cost[k] ?? 0) + pu - (pot[n + j] ?? 0), cost[k] ?? 0);
        }
        budget -= k - (start[u] ?? 0);
        if (own !== unmatchedRow) arc(u, du, t, exitCost + pu - (pot[t] ?? 0), 0);
      } else if (u < t) {
        const j = u - n;
        for (const r of places.of(j)) arc(u, du, r, pu - (assignedCost[r] ?? 0) - (pot[r] ?? 0), 0);
        if (places.load(j) < (capacity[j] ?? 0)) arc(u, du, t, pu - (pot[t] ?? 0), 0);
      } else {
        budget -= withPlaces.length;
        for (const j of withPlaces) {
          // A mentor that is short still passes its old load on to the sink.
          if (places.load(j) > 0 || (shortBy[n + j] ?? 0) > 0) arc(u, du, n + j, pu - (pot[n + j] ?? 0), 0);
        }
        for (let r = 0; r < n; r++) {
          if (assigned[r] === unmatchedRow) arc(u, du, r, pu - exitCost - (pot[r] ?? 0), 0);
        }
      }
      // A node short reached at this distance is settled at once: nodes of equal distance may
      // be settled in any order, and on a cohort of many equal scores the heap holds hundreds
      // of them, each a mentee whose every pair the search would read first.
      if (nearestShort >= 0) {
        settledAt[nearestShort] = stamp;
        settled[count++] = nearestShort;
        return count;
      }
      if (budget < 0) return -1;
    }
    return -1;
  }

  /** An arc of the search; a negative one is left out (there should be none: the violators were raised to fit), the proof after the repair has the last word. */
  function arc(from: number, at: number, to: number, reduced: number, c: number) {
    if (reduced >= 0) reach(to, at + reduced, from, c);
  }

  /** Lowers each node the search settled by how much nearer than the short node it was. */
  function shiftPotentials(short: number, settledCount: number) {
    const far = dist[short] ?? 0;
    for (let x = 0; x < settledCount; x++) {
      const v = settled[x] ?? 0;
      pot[v] = (pot[v] ?? 0) + (dist[v] ?? 0) - far;
    }
  }

  /** Moves the unit along the search's path: each mentee on it takes the mentor (or exit) after it. */
  function moveAlongPath(source: number, short: number) {
    for (let v = short; v !== source; ) {
      const u = via[v] ?? 0;
      if (u < n) {
        detach(u);
        if (v === t) {
          assigned[u] = unmatchedRow;
          assignedCost[u] = exitCost;
        } else {
          assigned[u] = v - n;
          assignedCost[u] = viaCost[v] ?? 0;
          places.add(u, v - n);
        }
      }
      v = u;
    }
  }
}

/** Each mentor's mentees, in slots as many as its places, and where each mentee sits. */
class Places {
  private readonly slotStart: Int32Array;
  private readonly slotRow: Int32Array;
  private readonly slotOf: Int32Array;
  private readonly count: Int32Array;

  constructor(capacity: Int32Array, assigned: Int32Array) {
    const m = capacity.length;
    this.slotStart = new Int32Array(m + 1);
    for (let j = 0; j < m; j++)
      this.slotStart[j + 1] = (this.slotStart[j] ?? 0) + Math.max(0, capacity[j] ?? 0);
    this.slotRow = new Int32Array(this.slotStart[m] ?? 0);
    this.slotOf = new Int32Array(assigned.length);
    this.count = new Int32Array(m);
    assigned.forEach((j, i) => {
      if (j >= 0) this.add(i, j);
    });
  }

  load(j: number): number {
    return this.count[j] ?? 0;
  }

  of(j: number): Int32Array {
    const from = this.slotStart[j] ?? 0;
    return this.slotRow.subarray(from, from + (this.count[j] ?? 0));
  }

  add(i: number, j: number): void {
    const slot = (this.slotStart[j] ?? 0) + (this.count[j] ?? 0);
    this.count[j] = (this.count[j] ?? 0) + 1;
    this.slotRow[slot] = i;
    this.slotOf[i] = slot;
  }

  remove(i: number, j: number): void {
    this.count[j] = (this.count[j] ?? 0) - 1;
    const last = (this.slotStart[j] ?? 0) + (this.count[j] ?? 0);
    const moved = this.slotRow[last] ?? 0;
    const slot = this.slotOf[i] ?? 0;
    this.slotRow[slot] = moved;
    this.slotOf[moved] = slot;
  }
}
