import { MinHeap } from './min-heap.ts';
import { resized } from './typed-arrays.ts';

/**
 * Shortest augmenting paths from the scarce side: the transportation problem where every row
 * must ship all of its supply, one unit per arc, to columns of limited capacity, at least total
 * cost. It suits the side of a matching that is short — a mentor's places when mentors run out,
 * the mentees when places are plenty — because augmenting paths then end soon at a column with
 * room, and nobody has to be priced out.
 *
 * Potentials π on rows, columns and the sink keep every residual arc's reduced cost
 * (cost + π(from) − π(to)) non-negative throughout (the primal–dual method):
 * - start: π(row) = −(its cheapest arc), columns and the sink 0; then every row takes the
 *   columns with room its cheapest arcs reach (those arcs are tight);
 * - then rows of one unit still unshipped bid, as in an auction, for their best column
 *   (Jonker and Volgenant's augmenting row reduction): a column of one place changes hands,
 *   its potential falling by the bidder's margin over its second best (`reduceRows`);
 * - then one search per unit left, from its row (Jonker and Volgenant's shortest augmenting
 *   paths): a Dijkstra to the sink through a column with room; settled nodes' potentials move
 *   by their distance (less the sink's), so the path found becomes tight and every arc stays
 *   non-negative (Johnson's reweighting), and the unit is shipped along the search's tree;
 * - no column's potential is ever above 0 (they only fall), so cost + π(row) bounds an arc's
 *   reduced cost from below: a row's arcs, read cheapest first, are read only as far as that
 *   bound is under the search's frontier, which is what makes the whole eligible graph
 *   affordable without a candidate graph. Once the searches have read many arcs, each row's
 *   arcs are sorted again by cost less their column's potential then, a tighter bound that
 *   stays one because potentials only fall.
 * At the end the potentials prove the flow optimal on every arc (integer costs, no rounding),
 * which is what the caller's certificate reads. Same input, same output.
 */

export interface Transport {
  /** Arcs of row r are `rowStart[r] .. rowStart[r + 1]`, each to `column[k]` at `cost[k]`. */
  rowStart: Int32Array;
  column: Int32Array | Uint16Array;
  /**
   * Whole cost units, 16 bits (a participation cost is 0–1000): this copy is every arc of the
   * contested region, nearly every eligible pair where nearly every pair is eligible.
   */
  cost: Uint16Array;
  /** Units each row must ship: there must be a way to ship them all. */
  supply: Int32Array;
  /** Units each column can take. */
  capacity: Int32Array;
}

export interface Shipment {
  /** Rows a column took: `columnRow[columnStart[c] .. columnStart[c] + load[c]]`. */
  columnStart: Int32Array;
  columnRow: Int32Array;
  load: Int32Array;
  /** Potentials: rows, then columns, then the sink. */
  pot: Float64Array;
}

/** Settings tests change to reach every path of the solve on small problems. */
export interface Tuning {
  /** Buckets of the search's queue (small: most keys overflow into its heap). */
  bucketCount?: number;
  /** Arcs read, per arc, after which the rows are re-sorted (0: before every search). */
  resortEvery?: number;
  /** Bids of the row reduction before the searches, per row (0: none). */
  reductionBids?: number;
}

/**
 * Ships every row's supply over all the arcs given, at least total cost, in one solve (no
 * candidate graph to widen). `searches`: shortest-path searches; `candidateArcs`: arcs some
 * search read. `transport`'s `column` and `cost` arrays are used as the solve's own: reordered,
 * and the costs overwritten. Undefined when some supply cannot be shipped.
 */
export function shipFromScarceSide(
  transport: Transport,
  {
    bucketCount = defaultBucketCount,
    resortEvery = defaultResortEvery,
    reductionBids = defaultReductionBids,
  }: Tuning = {},
): (Shipment & { searches: number; candidateArcs: number }) | undefined {
  const sorter = new RowSorter(transport.rowStart);
  cheapestFirst(transport, sorter);
  const shipped = ship(transport, bucketCount, resortEvery, reductionBids, sorter);
  return shipped && { ...shipped, candidateArcs: shipped.arcsRead };
}

/**
 * Keys (distances, whole cost units) a bucket range spans: a tenth of a point per unit, so
 * 4,096 covers four hundred points of distance ahead of the search; further keys wait in a heap.
 */
const defaultBucketCount = 4096;

/**
 * The rows are re-sorted once the searches have read this many arcs per arc since the last
 * sort. Measured (solve, s; a re-sort by counting where it can): `shortage-99` 1 → 2.69,
 * 2 → 2.04, 4 → 1.78, 8 → 1.84, 16 → 1.90, never 2.59 (by comparison only); `shortage-90`
 * 1.18 / 1.17 / 1.20 at 4 / 8 / 16; one place per mentor for 90% of the mentees 2.50 / 2.58 /
 * 2.54; `surplus-200` 1.15 at 4, 1.02–1.03 at 8 and 16.
 */
const defaultResortEvery = 8;

/**
 * Bids of the row reduction per row, before the searches take over (Jonker and Volgenant run
 * two passes). Measured (`tandem match`, single runs, the same total score): contended, one
 * place per mentor for 200% of 10,000 mentees 3.42 → 2.86 s (1 bid a row: 2.92, 4: 2.89);
 * uniform and stars there 1.82 → 1.70 and 1.78 → 1.69; `surplus-200`, `shortage-60`,
 * `shortage-90` and the world's 200% (one place, or one to five) within the runs' spread, as
 * their rows ship more than one unit or their columns take more than one. At 170% the searches
 * still lose to cost scaling (4.83 s against 3.4), so `plentifulPlaces` (solver.ts) stays.
 */
const defaultReductionBids = 2;

/** The primal–dual solve; each row's arcs come cheapest first. */
function ship(
  transport: Transport,
  bucketCount: number,
  resortEvery: number,
  reductionBids: number,
  sorter: RowSorter,
): (Shipment & { searches: number; arcsRead: number }) | undefined {
  const { rowStart, supply, capacity, column, cost } = transport;
  const rows = supply.length;
  const columns = capacity.length;
  const t = rows + columns;
  const nodes = t + 1;
  const pot = new Float64Array(nodes);
  const columnStart = new Int32Array(columns + 1);
  for (let c = 0; c < columns; c++)
    columnStart[c + 1] = (columnStart[c] ?? 0) + Math.max(0, capacity[c] ?? 0);
  const columnRow = new Int32Array(columnStart[columns] ?? 0);
  const columnCost = new Int32Array(columnStart[columns] ?? 0);
  const load = new Int32Array(columns);
  const left = Int32Array.from(supply);
  const room = (c: number) => (load[c] ?? 0) < (capacity[c] ?? 0);
  const takes = (c: number, r: number) => {
    for (let q = columnStart[c] ?? 0, end = q + (load[c] ?? 0); q < end; q++)
      if (columnRow[q] === r) return true;
    return false;
  };
  const take = (c: number, r: number, arcCost: number) => {
    const q = (columnStart[c] ?? 0) + (load[c] ?? 0);
    columnRow[q] = r;
    columnCost[q] = arcCost;
    load[c] = (load[c] ?? 0) + 1;
  };

  /** Per row, the end of the arcs the solve has read: the part of the graph it used. */
  const readUpTo = Int32Array.from({ length: rows }, (_, r) => rowStart[r] ?? 0);

  // Start: each row's cheapest arcs are tight; it takes the columns with room they reach.
  let unitsLeft = 0;
  for (let r = 0; r < rows; r++) {
    const from = rowStart[r] ?? 0;
    const end = rowStart[r + 1] ?? 0;
    if ((left[r] ?? 0) > 0 && end === from) return undefined;
    const cheapest = end > from ? (cost[from] ?? 0) : 0;
    pot[r] = -cheapest;
    let k = from;
    for (; k < end && (left[r] ?? 0) > 0 && cost[k] === cheapest; k++) {
      const c = column[k] ?? 0;
      if (room(c) && !takes(c, r)) {
        take(c, r, cheapest);
        left[r] = (left[r] ?? 0) - 1;
      }
    }
    readUpTo[r] = Math.min(end, k + 1);
    unitsLeft += left[r] ?? 0;
  }

  // Dijkstra state, reset by stamps. Heap entries ≥ nodes stand for a row's unread arcs.
  const dist = new Float64Array(nodes);
  const reachedAt = new Int32Array(nodes);
  const settledAt = new Int32Array(nodes);
  const settled = new Int32Array(nodes);
  const nextArc = new Int32Array(rows);
  // The queue. Keys are whole numbers, never below the last one taken out (reduced costs are
  // not negative), so a key waits in bucket (key mod bucketCount), as in Dial's algorithm: no
  // comparisons, and 0.82–0.85 of the solve's time on the bench's shortages against a binary
  // heap. Keys a whole bucket range or more ahead wait in a binary heap until they come in range.
  const bucketHead = new Int32Array(bucketCount).fill(-1);
  let entryNode = new Int32Array(1024);
  let entryNext = new Int32Array(1024);
  let entries = 0;
  let inBuckets = 0;
  /** The last key taken out: no key in the queue is below it, and every bucket's is below it + bucketCount. */
  let current = 0;
  /** No bucket holds a key from `current` up to (not including) this one. */
  let cursor = 0;
  const heap = new MinHeap();
  const toBucket = (node: number, key: number) => {
    if (entries === entryNode.length) {
      entryNode = resized(entryNode, entries * 2);
      entryNext = resized(entryNext, entries * 2);
    }
    const b = key % bucketCount;
    entryNode[entries] = node;
    entryNext[entries] = bucketHead[b] ?? -1;
    bucketHead[b] = entries++;
    inBuckets++;
    if (key < cursor) cursor = key;
  };
  const clearQueue = () => {
    bucketHead.fill(-1);
    entries = 0;
    inBuckets = 0;
    heap.size = 0;
    current = 0;
    cursor = 0;
  };
  const push = (node: number, key: number) => {
    if (key < current + bucketCount) toBucket(node, key);
    else heap.push(node, key);
  };
  const queueEmpty = () => inBuckets === 0 && heap.size === 0;
  /** Moves the heap's keys that have come within the buckets' range into their buckets. */
  const intoRange = () => {
    while (heap.size > 0 && heap.leastKey < current + bucketCount) {
      const key = heap.leastKey;
      toBucket(heap.pop(), key);
    }
  };
  /** The least key in the queue, which must not be empty. */
  const leastKey = () => {
    if (inBuckets === 0) return heap.leastKey;
    while ((bucketHead[cursor % bucketCount] ?? -1) < 0) {
      // Only a key that is not a whole number could get lost here: a bug, not a hang.
      if (++cursor >= current + bucketCount)
        throw new Error('shortest paths: a distance is not a whole number');
    }
    return cursor;
  };
  /** Takes out a node of the least key; `current` is then that key. */
  const pop = () => {
    current = leastKey();
    if (inBuckets === 0) cursor = current;
    intoRange();
    const b = current % bucketCount;
    const e = bucketHead[b] ?? 0;
    bucketHead[b] = entryNext[e] ?? -1;
    inBuckets--;
    return entryNode[e] ?? 0;
  };
  let stamp = 0;
  /** How each node was reached: the node before it, and the arc's cost (a column) or the slot it leaves (a row). */
  const via = new Int32Array(nodes);
  const viaCostOrSlot = new Int32Array(nodes);
  const reach = (v: number, d: number, from: number, costOrSlot: number) => {
    if (settledAt[v] === stamp) return;
    if (reachedAt[v] === stamp && d >= (dist[v] ?? 0)) return;
    reachedAt[v] = stamp;
    dist[v] = d;
    via[v] = from;
    viaCostOrSlot[v] = costOrSlot;
    push(v, d);
  };

  // A row's arcs are read in the order of a lower bound on their reduced cost less the row's
  // potential: at first their cost (no column's potential is above 0), after a re-sort their
  // cost less their column's potential then, `sortedAt` (potentials only fall, so it stays a
  // lower bound). `cost` holds that bound; an arc's cost is it plus `sortedAt` of its column.
  const sortedAt = new Float64Array(columns);
  /** Arcs read before the last re-sort, by their place now (allocated at the first). */
  let readBefore: Uint8Array | undefined;
  /** Arcs read since the last re-sort (with repeats), which decides when to sort again. */
  let readSinceSort = 0;

  /**
   * Reads row u's arcs in order while their least possible distance is at most `limit`; the
   * rest wait in the heap at that bound.
   */
  const scanRow = (u: number, limit: number) => {
    const du = dist[u] ?? 0;
    const pu = pot[u] ?? 0;
    const end = rowStart[u + 1] ?? 0;
    // Nothing at or beyond the sink's distance can shorten a path to it.
    const sinkAt = reachedAt[t] === stamp ? (dist[t] ?? 0) : Number.POSITIVE_INFINITY;
    const first = nextArc[u] ?? 0;
    let k = first;
    for (; k < end; k++) {
      const bound = du + (cost[k] ?? 0) + pu;
      if (bound >= sinkAt) break;
      if (bound > limit) {
        nextArc[u] = k;
        push(nodes + u, bound);
        break;
      }
      const c = column[k] ?? 0;
      const v = rows + c;
      const sorted = sortedAt[c] ?? 0;
      const d = bound + sorted - (pot[v] ?? 0);
      // A settled column is never nearer than u (reduced costs are not negative): skipped here.
      if (reachedAt[v] === stamp && d >= (dist[v] ?? 0)) continue;
      if (settledAt[v] === stamp || (capacity[c] ?? 0) <= 0 || takes(c, u)) continue;
      reach(v, d, u, (cost[k] ?? 0) + sorted);
    }
    readSinceSort += k - first;
    if (k > (readUpTo[u] ?? 0)) readUpTo[u] = k;
  };

  /** From one row with supply left to the sink; potentials move so its shortest path is tight. */
  const shortestPathFrom = (source: number): boolean => {
    stamp++;
    clearQueue();
    reach(source, 0, -1, 0);
    let count = 0;
    let found = false;
    while (!queueEmpty()) {
      const u = pop();
      const key = current;
      if (u >= nodes) {
        scanRow(u - nodes, queueEmpty() ? Number.POSITIVE_INFINITY : leastKey());
        continue;
      }
      if (settledAt[u] === stamp || key > (dist[u] ?? 0)) continue;
      settledAt[u] = stamp;
      settled[count++] = u;
      if (u === t) {
        found = true;
        break;
      }
      const du = dist[u] ?? 0;
      const pu = pot[u] ?? 0;
      if (u < rows) {
        nextArc[u] = rowStart[u] ?? 0;
        scanRow(u, queueEmpty() ? Number.POSITIVE_INFINITY : leastKey());
      } else {
        const c = u - rows;
        if (room(c)) reach(t, du + pu - (pot[t] ?? 0), u, 0);
        for (let q = columnStart[c] ?? 0, end = q + (load[c] ?? 0); q < end; q++) {
          const r = columnRow[q] ?? 0;
          reach(r, du - (columnCost[q] ?? 0) + pu - (pot[r] ?? 0), u, q);
        }
      }
    }
    if (!found) return false;
    const far = dist[t] ?? 0;
    for (let x = 0; x < count; x++) {
      const v = settled[x] ?? 0;
      pot[v] = (pot[v] ?? 0) + (dist[v] ?? 0) - far;
    }
    return true;
  };

  /**
   * Ships one unit along the last search's path, from the sink back to its row: the column with
   * room takes the row before it, and each row on the way moves into the column after it,
   * leaving its slot in the column before it to the row before that.
   */
  const shipAlongPath = () => {
    let c = (via[t] ?? 0) - rows;
    let q = (columnStart[c] ?? 0) + (load[c] ?? 0);
    load[c] = (load[c] ?? 0) + 1;
    for (;;) {
      const r = via[rows + c] ?? 0;
      columnRow[q] = r;
      columnCost[q] = viaCostOrSlot[rows + c] ?? 0;
      const before = via[r] ?? -1;
      if (before < 0) {
        left[r] = (left[r] ?? 0) - 1;
        return;
      }
      q = viaCostOrSlot[r] ?? 0;
      c = before - rows;
    }
  };

  /**
   * Re-sorts every row's arcs by their bound at today's potentials: the popular columns'
   * potentials fall far, and late searches would otherwise read on through the arcs to them
   * before their frontier stops them. Skipped when a bound would not fit the cost array.
   */
  const resort = () => {
    let highest = 0;
    for (let k = 0; k < cost.length; k++) highest = Math.max(highest, cost[k] ?? 0);
    let deepest = 0;
    for (let c = 0; c < columns; c++) deepest = Math.max(deepest, (sortedAt[c] ?? 0) - (pot[rows + c] ?? 0));
    if (highest + deepest > 0xffff) return;
    readBefore ??= new Uint8Array(column.length);
    const marks = readBefore;
    const { key, tie, sortedKey, sortedTie } = sorter;
    const rowColumn = new Int32Array(key.length);
    const rowMark = new Uint8Array(key.length);
    for (let r = 0; r < rows; r++) {
      const from = rowStart[r] ?? 0;
      const size = (rowStart[r + 1] ?? 0) - from;
      // Keyed by the bound, ties by the arc's place: ties keep their order.
      for (let x = 0; x < size; x++) {
        const c = column[from + x] ?? 0;
        rowColumn[x] = c;
        rowMark[x] = from + x < (readUpTo[r] ?? 0) ? 1 : (marks[from + x] ?? 0);
        key[x] = (cost[from + x] ?? 0) + (sortedAt[c] ?? 0) - (pot[rows + c] ?? 0);
        tie[x] = x;
      }
      sorter.sort(size, key.length);
      for (let at = 0; at < size; at++) {
        const x = sortedTie[at] ?? 0;
        column[from + at] = rowColumn[x] ?? 0;
        cost[from + at] = sortedKey[at] ?? 0;
        marks[from + at] = rowMark[x] ?? 0;
      }
      readUpTo[r] = from;
    }
    for (let c = 0; c < columns; c++) sortedAt[c] = pot[rows + c] ?? 0;
    readSinceSort = 0;
  };

  /**
   * Jonker and Volgenant's augmenting row reduction, before the searches: a row of one unit
   * with none shipped bids for its best column (least cost less the column's potential). A
   * column with room takes it outright; a full column of one place changes hands, its potential
   * falling by the bidder's margin over its second best, and the row it let go bids next. Every
   * residual arc stays non-negative, so the searches go on from there. Rows whose best and
   * second best are equal (no margin: they could bid back and forth), or whose best column has
   * more places, are left to the searches. Returns the units shipped.
   */
  function reduceRows(budget: number): number {
    const queue: number[] = [];
    for (let r = 0; r < rows; r++) if (supply[r] === 1 && left[r] === 1) queue.push(r);
    let shipped = 0;
    for (let head = 0, bids = 0; head < queue.length && bids < budget; head++, bids++) {
      const r = queue[head] ?? 0;
      const end = rowStart[r + 1] ?? 0;
      let best = Number.POSITIVE_INFINITY;
      let second = Number.POSITIVE_INFINITY;
      let bestArc = -1;
      let k = rowStart[r] ?? 0;
      // Columns' potentials are never above 0, so an arc's value is at least its cost.
      for (; k < end && (cost[k] ?? 0) < second; k++) {
        const c = column[k] ?? 0;
        if ((capacity[c] ?? 0) <= 0) continue;
        const value = (cost[k] ?? 0) - (pot[rows + c] ?? 0);
        if (value < best) {
          second = best;
          best = value;
          bestArc = k;
        } else if (value < second) second = value;
      }
      if (k > (readUpTo[r] ?? 0)) readUpTo[r] = k;
      if (bestArc < 0) continue;
      const c = column[bestArc] ?? 0;
      const arcCost = cost[bestArc] ?? 0;
      if (room(c)) {
        take(c, r, arcCost);
        left[r] = 0;
        pot[r] = -best;
        shipped++;
        continue;
      }
      if (capacity[c] !== 1 || second === best || second === Number.POSITIVE_INFINITY) continue;
      const q = columnStart[c] ?? 0;
      const before = columnRow[q] ?? 0;
      if (supply[before] !== 1) continue;
      pot[rows + c] = (pot[rows + c] ?? 0) - (second - best);
      columnRow[q] = r;
      columnCost[q] = arcCost;
      left[r] = 0;
      pot[r] = -second;
      // The row let go: its arc to the column was tight (no search has moved a potential yet),
      // and the column's potential fell, so the arc, back in the residual graph, is positive.
      left[before] = 1;
      queue.push(before);
    }
    return shipped;
  }

  // One search per unit left, from its row, as in Jonker and Volgenant's shortest augmenting
  // paths: with many equal scores a search ends soon, and its path is shipped at once. The
  // rows with the fewest arcs go first: they have the fewest ways to a column, and placed
  // before the rows with many they leave the late searches shorter paths (one place per mentor
  // for 90% of the mentees: 2.45 s → 2.0 s solving; `shortage-99` 1.77 → 1.65).
  let searches = 0;
  const arcs = column.length;
  unitsLeft -= reduceRows(reductionBids * rows);
  const sources = fewestArcsFirst(rowStart, left);
  for (let next = 0; unitsLeft > 0; unitsLeft--) {
    while ((left[sources[next] ?? 0] ?? 0) <= 0) next++;
    const source = sources[next] ?? 0;
    if (readSinceSort > resortEvery * arcs) resort();
    searches++;
    if (!shortestPathFrom(source)) return undefined;
    shipAlongPath();
  }
  let arcsRead = 0;
  for (let r = 0; r < rows; r++) {
    for (let k = rowStart[r] ?? 0, end = rowStart[r + 1] ?? 0; k < end; k++)
      if (k < (readUpTo[r] ?? 0) || readBefore?.[k]) arcsRead++;
  }
  return { columnStart, columnRow, load, pot, searches, arcsRead };
}

/** The rows with supply left, fewest arcs first (ties: row order). */
function fewestArcsFirst(rowStart: Int32Array, left: Int32Array): Int32Array {
  const rows = left.length;
  const keys: number[] = [];
  for (let r = 0; r < rows; r++) {
    if ((left[r] ?? 0) > 0) keys.push(((rowStart[r + 1] ?? 0) - (rowStart[r] ?? 0)) * rows + r);
  }
  return Int32Array.from(Float64Array.from(keys).sort(), (key) => key % rows);
}

/**
 * Orders each row's arcs by cost, cheapest first (ties: column order), in place: the caller's
 * `column` and `cost` arrays are reordered, so no copy of the arcs is made.
 */
function cheapestFirst({ rowStart, column, cost, capacity }: Transport, sorter: RowSorter): void {
  const { key, tie, sortedKey, sortedTie } = sorter;
  for (let r = 0; r + 1 < rowStart.length; r++) {
    const from = rowStart[r] ?? 0;
    const size = (rowStart[r + 1] ?? 0) - from;
    if (ascending(cost, from, from + size)) {
      columnsInOrderWithinCosts(column, cost, from, from + size);
      continue;
    }
    for (let x = 0; x < size; x++) {
      key[x] = cost[from + x] ?? 0;
      tie[x] = column[from + x] ?? 0;
    }
    sorter.sort(size, capacity.length);
    for (let at = 0; at < size; at++) {
      cost[from + at] = sortedKey[at] ?? 0;
      column[from + at] = sortedTie[at] ?? 0;
    }
  }
}

/** Whether `values[from .. to)` never fall. */
function ascending(values: Uint16Array, from: number, to: number): boolean {
  for (let k = from + 1; k < to; k++) if ((values[k] ?? 0) < (values[k - 1] ?? 0)) return false;
  return true;
}

/**
 * A row whose arcs already come cheapest first, as the score table's rows do (best score
 * first), with each run of equal costs put in column order: the order a full sort gives, for a
 * read of the row and a sort of each short run. Sorting every row whole took 0.87 s of a
 * contended 10,000 mentees × 20,000 mentors of one place (23.8 million arcs, by shortest paths
 * from the mentees' side), this 0.19 s. farm-bench, `tandem match`, 3 runs, the same
 * `matches.csv`: that cohort 4.05 → 3.40 s (paired wall ratio 0.84), `surplus-200`'s 1.74 →
 * 1.56 s (0.90).
 */
function columnsInOrderWithinCosts(
  column: Int32Array | Uint16Array,
  cost: Uint16Array,
  from: number,
  to: number,
): void {
  for (let run = from; run < to; ) {
    let end = run + 1;
    let ordered = true;
    for (; end < to && cost[end] === cost[run]; end++) {
      if ((column[end] ?? 0) < (column[end - 1] ?? 0)) ordered = false;
    }
    if (!ordered && end - run > insertionRunLimit) column.subarray(run, end).sort();
    else if (!ordered) {
      for (let k = run + 1; k < end; k++) {
        const c = column[k] ?? 0;
        let at = k;
        for (; at > run && (column[at - 1] ?? 0) > c; at--) column[at] = column[at - 1] ?? 0;
        column[at] = c;
      }
    }
    run = end;
  }
}

/** Runs of equal costs up to this long are put in order by insertion; longer ones by the typed array's own sort. */
export const insertionRunLimit = 32;

/**
 * Sorts a row's entries by an integer key, ties by a second one (the order they then take): the
 * caller fills `key` and `tie` for the row's `size` entries, and reads them back in order from
 * `sortedKey` and `sortedTie`. Costs are scores turned around (a thousand or so values a row),
 * so when the ties come in increasing order (counting keeps that order) and the keys span little
 * more than the row, it counts; otherwise it compares numbers that hold the key, then the tie.
 */
class RowSorter {
  readonly key: Int32Array;
  readonly tie: Int32Array;
  readonly sortedKey: Int32Array;
  readonly sortedTie: Int32Array;
  private readonly packed: Float64Array;
  private counts: Int32Array;

  /** Scratch for the widest row of `rowStart`. */
  constructor(rowStart: Int32Array) {
    let widest = 0;
    for (let r = 0; r + 1 < rowStart.length; r++)
      widest = Math.max(widest, (rowStart[r + 1] ?? 0) - (rowStart[r] ?? 0));
    this.key = new Int32Array(widest);
    this.tie = new Int32Array(widest);
    this.sortedKey = new Int32Array(widest);
    this.sortedTie = new Int32Array(widest);
    this.packed = new Float64Array(widest);
    this.counts = new Int32Array(countingSpan(widest) + 1);
  }

  /** Sorts the first `size` entries; every tie is under `tieLimit`. */
  sort(size: number, tieLimit: number): void {
    const { key, tie, sortedKey, sortedTie } = this;
    let least = Number.POSITIVE_INFINITY;
    let most = Number.NEGATIVE_INFINITY;
    let tiesInOrder = true;
    for (let x = 0; x < size; x++) {
      const k = key[x] ?? 0;
      if (k < least) least = k;
      if (k > most) most = k;
      if (x > 0 && (tie[x] ?? 0) <= (tie[x - 1] ?? 0)) tiesInOrder = false;
    }
    const spread = most - least + 1;
    if (tiesInOrder && spread <= countingSpan(size)) {
      if (this.counts.length <= spread) this.counts = new Int32Array(spread + 1);
      const counts = this.counts;
      counts.fill(0, 0, spread + 1);
      for (let x = 0; x < size; x++) {
        const slot = (key[x] ?? 0) - least + 1;
        counts[slot] = (counts[slot] ?? 0) + 1;
      }
      for (let b = 1; b <= spread; b++) counts[b] = (counts[b] ?? 0) + (counts[b - 1] ?? 0);
      for (let x = 0; x < size; x++) {
        const slot = (key[x] ?? 0) - least;
        const at = counts[slot] ?? 0;
        counts[slot] = at + 1;
        sortedKey[at] = key[x] ?? 0;
        sortedTie[at] = tie[x] ?? 0;
      }
      return;
    }
    const span = 2 ** Math.ceil(Math.log2(tieLimit + 1));
    const packed = this.packed.subarray(0, size);
    for (let x = 0; x < size; x++) packed[x] = (key[x] ?? 0) * span + (tie[x] ?? 0);
    packed.sort();
    for (let at = 0; at < size; at++) {
      const both = packed[at] ?? 0;
      const k = Math.floor(both / span);
      sortedKey[at] = k;
      sortedTie[at] = both - k * span;
    }
  }
}

/** The widest span of keys a row of `size` entries is sorted by counting. */
function countingSpan(size: number): number {
  return Math.max(2048, 4 * size);
}
