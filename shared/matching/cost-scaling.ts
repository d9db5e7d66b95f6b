/**
 * Cost-scaling push–relabel (Goldberg) for the mentor assignment: the bulk of the solve.
 *
 * Costs are multiplied by `scale`, and the flow is made ε-optimal — every residual arc's
 * reduced cost ≥ −ε — for ε falling by `epsilonShrink` each phase down to `epsStop`. At ε = 1
 * no cycle of fewer than `scale` arcs can have negative cost: with a scale above the number of
 * nodes, for integer costs, none can, and the assignment is optimal (the solver may try a
 * smaller scale first and check; solver.ts). Prices and the flow
 * persist from phase to phase and from call to call (the warm start): a phase starts by
 * re-bidding only the mentees that are no longer within 2ε of their best option.
 *
 * Mentees push like bidders in an auction ("double push"): a free mentee takes its best
 * option after prices and lowers its own price to its second-best minus ε. A mentor with
 * more mentees than it can pass on lowers its price (raises what it costs) and pushes back
 * the mentee that values it least. The sink takes part like any node: each phase starts by
 * saturating the mentor → sink arcs whose reduced cost is negative, and the sink hands back
 * what the mentors then cannot fill, so a mentor whose price rose in an earlier phase but
 * ends with free places is corrected rather than left overpriced.
 */

import { type BidSetting, cacheArrays, maxCacheSize } from './bid-caches.ts';
import { MaxTree } from './max-tree.ts';
import { type BidHelper, type BidSpace, BlockBids, bidBoard, canShare } from './parallel-bids.ts';

export interface CandidateGraph {
  /** Arcs of mentee i are `start[i] .. start[i + 1]`. */
  start: Int32Array;
  mentor: Int32Array;
  /** Integer cost of each arc. */
  cost: Int32Array;
}

export interface FlowArrays {
  /** Mentor per mentee, `unmatchedRow` on its unmatched exit, `freeRow` not placed. */
  assigned: Int32Array;
  assignedCost: Float64Array;
}

export const freeRow = -1;
export const unmatchedRow = -2;

/**
 * Options a mentee's bid cache holds: about the square root of its list's length, which
 * balances a refill's full scan against the bids the cache answers. 8 for lists of 32–64
 * candidates (16 there was 12% slower); 19 for one-place cohorts' lists of about 360.
 */
function cacheSizeFor(meanListLength: number): number {
  return Math.min(maxCacheSize, Math.max(8, Math.round(Math.sqrt(meanListLength))));
}

/**
 * Places per mentee from which a call starts by pricing its empty mentors at the sink's price
 * (`levelEmptyMentors`). Measured (single runs, solving seconds, contended cohorts of 10,000
 * mentees by cost scaling, as they were → leveled): one place, mentors for 110 / 125 / 140 /
 * 150 / 160 / 170%: 2.55–2.56 → 2.90–2.96 (the same rounds and candidates) / 2.61 → 2.49 / 2.89
 * → 2.97 / 3.37 → 2.96 / 4.46 → 3.69 / 5.98 → 4.45 (seed 1, 160 / 170%: 5.11 → 3.28, 5.10 →
 * 3.19); two places for 120 / 150 / 160%: 1.56 → 1.55, 1.78 → 1.57, 2.30 → 1.81; three for 120
 * / 150 / 160%: 1.18 → 1.22, 1.38 → 1.40, 1.66 → 1.49; uniform, one place at 150% 1.75 → 1.31,
 * two 0.91 → 0.58; stars, one place 1.60 → 1.35. Below 150% it does not pay: `mixed-places`
 * (100.5%) 2.00–2.02 → 2.16–2.30, `contention-50k` (102%) 35.5 → 41.9.
 */
const spareFromPlaces = 1.5;

/** Extra mentees a full mentor pushes back one scan at a time; above this, all at once after a sort. */
const pushBackOneByOne = 4;

/**
 * Mentees that bid together at most (a block, below). The mentors a block's bids leave with
 * more mentees than places go to the head of the queue, so they push back their extra mentees
 * before the next block bids: the next block sees their new prices, instead of piling onto
 * them too. A phase starts with every mentee free, and a block of all of them (as the queue
 * had them) put most of each popular mentor's bidders there at once, to be pushed back and bid
 * again: `one-to-one-shortage-99`'s first round took 1.19 million bids, 390,000 in blocks of
 * 64 whose mentors go first. Smaller blocks bid less in parallel (parallel-bids.ts) and
 * discharge more often.
 */
const blockLimit = 64;

/**
 * Each phase divides ε by this. Smaller steps mean more phases but far fewer bids in each,
 * as prices start each phase closer to where it ends: 16 → 4 took `one-to-one`'s first
 * round from 1.7 to 1.2 s (single runs: 8 and 6 were between, 2 and 3 slower again).
 */
export const epsilonShrink = 4;

export function costScale(
  graph: CandidateGraph,
  capacity: Int32Array,
  skip: Uint8Array,
  unmatchedCost: number,
  scale: number,
  /** Scaled node prices, mentees then mentors then the sink; read and updated. */
  price: Float64Array,
  epsStart: number,
  /** The last phase's ε (1 for a guaranteed optimum). */
  epsStop: number,
  flow: FlowArrays,
  /** A thread to work out part of the bids, and the shared memory it reads: `graph` and `price` must be the space's. */
  bidding?: { helper: BidHelper; space: BidSpace },
): void {
  const n = flow.assigned.length;
  const m = capacity.length;
  const t = n + m;
  const { start } = graph;
  const { assigned, assignedCost } = flow;
  const load = new Int32Array(m);
  const toSink = new Int32Array(m);
  // The mentors passing units to the sink, by price: the sink hands units back to the first of
  // them (by index) priced above it, found without reading every mentor.
  const passing = new MaxTree(m);
  const syncPassing = (j: number) =>
    passing.set(j, (toSink[j] ?? 0) > 0 ? (price[n + j] ?? 0) : Number.NEGATIVE_INFINITY);
  const first = new Int32Array(m);
  const next = new Int32Array(n);
  const before = new Int32Array(n);
  /** A mentor's mentees, as `pushBackWorst` sorts them, and their sort keys. */
  const pile = new Int32Array(n);
  const pileKeys = new Float64Array(n);
  const queue = new Int32Array(n + m + 1);
  const queued = new Uint8Array(n + m + 1);
  let head = 0;
  let size = 0;
  const enqueue = (node: number) => {
    if (queued[node]) return;
    queued[node] = 1;
    queue[(head + size++) % queue.length] = node;
  };
  /** Into the queue at its head: the next node to be discharged. */
  const enqueueFirst = (node: number) => {
    if (queued[node]) return;
    queued[node] = 1;
    head = (head + queue.length - 1) % queue.length;
    queue[head] = node;
    size++;
  };
  let rows = 0;
  for (let i = 0; i < n; i++) if (!skip[i]) rows++;
  /** Units the sink received beyond the one per mentee it must end with. */
  let sinkExcess = 0;
  const dummyValue = unmatchedCost * scale;
  // The mentees on their exits, by what the sink would pay to hand one back (the exit's price
  // plus its cost): found the same way, where a scan of every mentee per discharge of the sink
  // was quadratic once thousands must stay out (a shortage solved with moderate exits).
  const exits = new MaxTree(n);
  const syncExit = (i: number) =>
    exits.set(i, assigned[i] === unmatchedRow ? (price[i] ?? 0) + dummyValue : Number.NEGATIVE_INFINITY);

  /** What a placed mentee's pair is worth to its mentor: its price plus its scaled cost. */
  const held = new Float64Array(n);
  const attach = (i: number, j: number, c: number) => {
    assigned[i] = j;
    assignedCost[i] = c;
    held[i] = (price[i] ?? 0) + c * scale;
    next[i] = first[j] ?? -1;
    before[i] = -1;
    if ((first[j] ?? -1) >= 0) before[first[j] ?? 0] = i;
    first[j] = i;
    load[j] = (load[j] ?? 0) + 1;
  };
  const detach = (i: number, j: number) => {
    const b = before[i] ?? -1;
    const a = next[i] ?? -1;
    if (b >= 0) next[b] = a;
    else first[j] = a;
    if (a >= 0) before[a] = b;
    load[j] = (load[j] ?? 0) - 1;
    assigned[i] = freeRow;
    enqueue(i);
  };

  // Each mentee's few best arcs (bid-caches.ts): with a helper thread, in shared memory, so
  // that it works out the bids of part of each block of mentees (parallel-bids.ts).
  const cacheSize = cacheSizeFor((start[n] ?? 0) / Math.max(1, rows));
  const space = bidding?.space;
  space?.capacity.set(capacity);
  const setting: BidSetting = {
    graph,
    capacity: space?.capacity ?? capacity,
    price,
    mentees: n,
    mentors: m,
    scale,
    dummyValue,
    cacheSize,
    cache: space?.cache ?? cacheArrays(n, cacheSize, false),
  };
  // Caches filled by an earlier call hold an earlier graph's arcs.
  setting.cache.filled.fill(0);
  const parallel = bidding !== undefined && canShare(setting);
  const bids = new BlockBids(bidBoard(setting, space), parallel);
  const { block, choice } = bids.board;
  const { caches } = bids;
  const { node: cacheNode, scaled: cacheScaled } = setting.cache;

  /** Mentee i takes the option of cache entry e (its bid, already priced). */
  const takeBid = (i: number, e: number) => {
    const bestNode = cacheNode[e] ?? t;
    if (bestNode === t) {
      assigned[i] = unmatchedRow;
      assignedCost[i] = unmatchedCost;
      syncExit(i);
      if (++sinkExcess > 0) enqueue(t);
      return;
    }
    const bestMentor = bestNode - n;
    attach(i, bestMentor, (cacheScaled[e] ?? 0) / scale);
    if ((load[bestMentor] ?? 0) > (toSink[bestMentor] ?? 0)) enqueueFirst(n + bestMentor);
  };

  /**
   * The mentees at the head of the queue, up to its first mentor or the sink and at most
   * `blockLimit`, bid: a free mentee takes its best option and prices itself at its
   * second-best minus ε. No price a bid reads changes before the next discharge, so their bids
   * are worked out together (on two threads when there is a helper), then taken in the queue's
   * order; the mentors they overfill are discharged next.
   */
  const bidBlock = (first: number, eps: number) => {
    let count = 0;
    block[count++] = first;
    while (size > 0 && count < blockLimit && (queue[head] ?? t) < n) {
      const i = queue[head] ?? 0;
      head = (head + 1) % queue.length;
      size--;
      queued[i] = 0;
      block[count++] = i;
    }
    bids.run(count, eps);
    for (let p = 0; p < count; p++) takeBid(block[p] ?? 0, choice[p] ?? 0);
  };

  /** A mentor with more mentees than it passes on: to the sink while it has room, else pushes one back. */
  const discharge = (j: number, eps: number) => {
    const node = n + j;
    while ((load[j] ?? 0) > (toSink[j] ?? 0)) {
      const room = (toSink[j] ?? 0) < (capacity[j] ?? 0);
      if (!room && (load[j] ?? 0) - (toSink[j] ?? 0) > pushBackOneByOne) {
        pushBackWorst(j, eps);
        break;
      }
      if (room && (price[node] ?? 0) < (price[t] ?? 0)) {
        const units = Math.min(capacity[j] ?? 0, load[j] ?? 0) - (toSink[j] ?? 0);
        toSink[j] = (toSink[j] ?? 0) + units;
        syncPassing(j);
        sinkExcess += units;
        if (sinkExcess > 0) enqueue(t);
        continue;
      }
      let worst = -1;
      let worstValue = Number.NEGATIVE_INFINITY;
      for (let i = first[j] ?? -1; i >= 0; i = next[i] ?? -1) {
        const value = held[i] ?? 0;
        if (value > worstValue || (value === worstValue && i > worst)) {
          worst = i;
          worstValue = value;
        }
      }
      if (worst >= 0 && (price[node] ?? 0) < worstValue) {
        detach(worst, j);
        continue;
      }
      price[node] = Math.max(worstValue, room ? (price[t] ?? 0) : Number.NEGATIVE_INFINITY) - eps;
      syncPassing(j);
    }
  };

  /**
   * A full mentor holding many more mentees than its places pushes all the extra back at once
   * (a phase's first bids pile onto the popular mentors, thousands on one): the same mentees,
   * in the same order and at the same prices as `discharge` one at a time, but after one sort
   * of its mentees instead of a scan of them per mentee pushed back, which is quadratic in the
   * pile (41% of `contention-50k`'s solve).
   */
  const pushBackWorst = (j: number, eps: number) => {
    const node = n + j;
    let count = 0;
    for (let i = first[j] ?? -1; i >= 0; i = next[i] ?? -1) pile[count++] = i;
    const worstFirst = sortWorstFirst(pile.subarray(0, count), held, pileKeys);
    for (let x = 0, extra = count - (toSink[j] ?? 0); x < extra; x++) {
      const i = worstFirst[x] ?? 0;
      const value = held[i] ?? 0;
      if ((price[node] ?? 0) >= value) price[node] = value - eps;
      detach(i, j);
    }
    syncPassing(j);
  };

  /**
   * The sink hands back units it should not hold: a mentor's place (the mentor then fills it
   * or passes the shortfall on) or an unmatched mentee's exit (the mentee bids again).
   */
  const dischargeSink = (eps: number) => {
    while (sinkExcess > 0) {
      const pt = price[t] ?? 0;
      // Mentors priced above the sink, in index order; should units remain, every mentor still
      // passing some is at or under the sink's price, and the highest of them bounds the relabel.
      for (let j = passing.firstAbove(pt); j >= 0 && sinkExcess > 0; j = passing.firstAbove(pt)) {
        // Prices only fall: a price changed without telling the tree would show here.
        if ((toSink[j] ?? 0) <= 0 || !((price[n + j] ?? 0) > pt)) throw staleMentor(j);
        const units = Math.min(sinkExcess, toSink[j] ?? 0);
        toSink[j] = (toSink[j] ?? 0) - units;
        sinkExcess -= units;
        syncPassing(j);
        if ((load[j] ?? 0) > (toSink[j] ?? 0)) enqueue(n + j);
      }
      // Then the exits worth more than the sink's price, in index order; should units remain,
      // the dearest exit left and mentor passing units bound the relabel.
      for (let i = exits.firstAbove(pt); i >= 0 && sinkExcess > 0; i = exits.firstAbove(pt)) {
        if (assigned[i] !== unmatchedRow || !((price[i] ?? 0) + dummyValue > pt)) throw staleExit(i);
        assigned[i] = freeRow;
        syncExit(i);
        sinkExcess--;
        enqueue(i);
      }
      if (sinkExcess > 0) price[t] = Math.max(passing.max(), exits.max()) - eps;
    }
  };

  /** The flow as the last solve left it: every placed mentee's mentor passes it on to the sink. */
  const rebuild = () => {
    load.fill(0);
    first.fill(-1);
    sinkExcess = -rows;
    for (let i = 0; i < n; i++) {
      const j = assigned[i] ?? freeRow;
      if (skip[i] || j === freeRow) continue;
      if (j === unmatchedRow) {
        sinkExcess++;
        syncExit(i);
      } else attach(i, j, assignedCost[i] ?? 0);
    }
    for (let j = 0; j < m; j++) {
      toSink[j] = load[j] ?? 0;
      syncPassing(j);
      sinkExcess += load[j] ?? 0;
    }
  };

  /**
   * Starts a phase from the current flow (a soft restart): a placed mentee stays if it is
   * within 2ε of its best option, re-priced to make all its arcs ε-optimal; otherwise it bids
   * again. Mentor → sink arcs that are not ε-optimal are saturated or emptied. Everything
   * else is already ε-optimal, so only the disturbed part of the flow moves.
   */
  const values = new Float64Array(2);
  const softStart = (eps: number) => {
    head = 0;
    size = 0;
    const pt = price[t] ?? 0;
    for (let i = 0; i < n; i++) {
      if (skip[i]) continue;
      const own = assigned[i] ?? freeRow;
      if (own === freeRow) {
        enqueue(i);
        continue;
      }
      let alternative = own === unmatchedRow ? Number.POSITIVE_INFINITY : dummyValue - pt;
      let current = own === unmatchedRow ? dummyValue - pt : 0;
      // A mentee that has bid in this call mostly has what it needs in its bid cache.
      if (caches.placedValues(i, own === unmatchedRow ? t : n + own)) {
        current = caches.current;
        alternative = caches.alternative;
      } else {
        values[0] = current;
        values[1] = alternative;
        arcValues(graph, capacity, price, n, scale, i, own, values);
        current = values[0] ?? 0;
        alternative = values[1] ?? 0;
      }
      if (current <= alternative + 2 * eps) {
        price[i] = (alternative === Number.POSITIVE_INFINITY ? current : alternative) * -1 - eps;
        held[i] = (price[i] ?? 0) + (assignedCost[i] ?? 0) * scale;
        if (own === unmatchedRow) syncExit(i);
        continue;
      }
      if (own === unmatchedRow) {
        assigned[i] = freeRow;
        syncExit(i);
        sinkExcess--;
        enqueue(i);
      } else detach(i, own);
    }
    for (let j = 0; j < m; j++) {
      const pj = price[n + j] ?? 0;
      const c = capacity[j] ?? 0;
      if ((toSink[j] ?? 0) < c && pj - pt < -eps) {
        sinkExcess += c - (toSink[j] ?? 0);
        toSink[j] = c;
      } else if ((toSink[j] ?? 0) > 0 && pt - pj < -eps) {
        sinkExcess -= toSink[j] ?? 0;
        toSink[j] = 0;
      }
      syncPassing(j);
      if ((load[j] ?? 0) > (toSink[j] ?? 0)) enqueue(n + j);
    }
    if (sinkExcess > 0) enqueue(t);
  };

  const refine = (eps: number) => {
    softStart(eps);

    // The sink goes last: each of its discharges reads every mentor and exit, so it hands
    // back what has piled up at once rather than a unit at a time.
    while (size > 0) {
      const node = queue[head] ?? 0;
      head = (head + 1) % queue.length;
      if (node === t && size > 1) {
        queue[(head + size - 1) % queue.length] = t;
        continue;
      }
      size--;
      queued[node] = 0;
      if (node < n) bidBlock(node, eps);
      else if (node < t) discharge(node - n, eps);
      else dischargeSink(eps);
    }
  };

  /**
   * Each mentor that holds no mentee, priced above the sink, brought down to the sink's price:
   * the lowest price a place with room may have (its arc to the sink stays ε-optimal; its
   * other arcs only get dearer). A mentor no mentee has bid on keeps its first price, while the
   * prices of the places mentees compete for fall far below it, phase after phase: a warm
   * restart whose candidates now name such mentors would have everyone bid for them and lower
   * their prices ε at a time.
   */
  const levelEmptyMentors = () => {
    const pt = price[t] ?? 0;
    for (let j = 0; j < m; j++) {
      if ((load[j] ?? 0) === 0 && (capacity[j] ?? 0) > 0 && (price[n + j] ?? 0) > pt) {
        price[n + j] = pt;
        syncPassing(j);
      }
    }
  };

  if (rows === 0) return;
  rebuild();
  let places = 0;
  for (let j = 0; j < m; j++) places += Math.max(0, capacity[j] ?? 0);
  if (places >= spareFromPlaces * rows) levelEmptyMentors();
  if (parallel) bidding.helper.serve(bids.board);
  try {
    for (let eps = Math.max(epsStop, epsStart); ; eps = Math.max(epsStop, Math.floor(eps / epsilonShrink))) {
      refine(eps);
      if (eps === epsStop) break;
    }
  } finally {
    // The helper goes back to its other work, even after a throw here.
    bids.end();
  }
}

/**
 * Mentee i's value of its own mentor `own` and of its best other option over its arcs, into
 * `values` (0: own, 1: other), which hold the exit's before. A small function of its own: the
 * soft starts of a solve in `tandem match` took one place at 170% 191 ms with this loop inline
 * against 170, `one-to-one` 115 against 91 (medians of 4).
 */
function arcValues(
  graph: CandidateGraph,
  capacity: Int32Array,
  price: Float64Array,
  n: number,
  scale: number,
  i: number,
  own: number,
  values: Float64Array,
): void {
  const { start, mentor, cost } = graph;
  let current = values[0] ?? 0;
  let alternative = values[1] ?? 0;
  for (let k = start[i] ?? 0, end = start[i + 1] ?? 0; k < end; k++) {
    const j = mentor[k] ?? 0;
    if ((capacity[j] ?? 0) <= 0) continue;
    const value = (cost[k] ?? 0) * scale - (price[n + j] ?? 0);
    if (j === own) current = value;
    else if (value < alternative) alternative = value;
  }
  values[0] = current;
  values[1] = alternative;
}

/** A bug: the tree of mentees on their exits did not hear of a change to mentee i. */
function staleExit(i: number): Error {
  return new Error(`matching: cost scaling's record of mentee ${i} on its exit is out of date`);
}

/** A bug: the tree of mentors passing units to the sink did not hear of a change to mentor j. */
function staleMentor(j: number): Error {
  return new Error(`matching: cost scaling's record of mentor ${j} passing units to the sink is out of date`);
}

/**
 * Mentees worst first, as `discharge` picks them: the highest held value, ties to the higher
 * index; sorted in place. Held values are whole numbers, so each mentee's value and index make
 * one number, and the mentees are sorted as plain numbers: a comparator called per pair took
 * 2.2–2.6 times as long on piles of 50–3,000. Where such a number would not be exact (a held
 * value beyond 2^53 over the index span: the quality objective's full scale on large
 * cohorts), the comparator sorts them. `keys`: scratch space, at least as long as `mentees`.
 */
export function sortWorstFirst(mentees: Int32Array, held: Float64Array, keys: Float64Array): Int32Array {
  const count = mentees.length;
  const span = 2 ** Math.ceil(Math.log2(held.length + 1));
  for (let x = 0; x < count; x++) {
    const value = held[mentees[x] ?? 0] ?? 0;
    if (!Number.isInteger(value) || Math.abs(value) >= Number.MAX_SAFE_INTEGER / span - 1)
      return mentees.sort((a, b) => (held[b] ?? 0) - (held[a] ?? 0) || b - a);
  }
  for (let x = 0; x < count; x++) {
    const i = mentees[x] ?? 0;
    keys[x] = -(held[i] ?? 0) * span + (span - 1 - i);
  }
  const sorted = keys.subarray(0, count).sort();
  for (let x = 0; x < count; x++) {
    const key = sorted[x] ?? 0;
    mentees[x] = span - 1 - (key - Math.floor(key / span) * span);
  }
  return mentees;
}
