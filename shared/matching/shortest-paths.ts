import { grow } from './typed-arrays.ts';

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
 * - then phases, each one Dijkstra from every row with supply left at once, to the sink
 *   through a column with room; settled nodes' potentials move by their distance (less the
 *   sink's), so the shortest paths become tight and every arc stays non-negative (Johnson's
 *   reweighting); then as many units as the tight arcs can carry, by depth-first search (a
 *   blocking flow, as in Hopcroft–Karp): with many equal scores, one phase moves many units;
 * - no column's potential is ever above 0 (they only fall), so cost + π(row) bounds an arc's
 *   reduced cost from below: a row's arcs, read cheapest first, are read only as far as that
 *   bound is under the search's frontier. Most arcs are never read, which is what makes the
 *   whole eligible graph affordable without a candidate graph.
 * At the end the potentials prove the flow optimal on every arc (integer costs, no rounding),
 * which is what the caller's certificate reads. Same input, same output.
 */

export interface Transport {
  /** Arcs of row r are `rowStart[r] .. rowStart[r + 1]`, each to `column[k]` at `cost[k]`. */
  rowStart: Int32Array;
  column: Int32Array | Uint16Array;
  cost: Int32Array;
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

/**
 * Ships every row's supply over all the arcs given, at least total cost, in one solve (no
 * candidate graph to widen). `phases`: primal–dual phases; `candidateArcs`: arcs some search
 * read. Each row's arcs in `transport` are reordered, cheapest first. Undefined when some
 * supply cannot be shipped.
 */
export function shipFromScarceSide(
  transport: Transport,
  /** Buckets of the search's queue (tests make it small, so that keys overflow into its heap). */
  bucketCount = defaultBucketCount,
): (Shipment & { phases: number; candidateArcs: number }) | undefined {
  const shipped = ship({ ...transport, ...cheapestFirst(transport) }, bucketCount);
  return shipped && { ...shipped, candidateArcs: shipped.arcsRead };
}

/**
 * Keys (distances, whole cost units) a bucket range spans: a tenth of a point per unit, so
 * 4,096 covers four hundred points of distance ahead of the search; further keys wait in a heap.
 */
const defaultBucketCount = 4096;

/** The primal–dual solve; each row's arcs come cheapest first. */
function ship(
  transport: Transport,
  bucketCount: number,
): (Shipment & { phases: number; arcsRead: number }) | undefined {
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
  let heapNode = new Int32Array(1024);
  let heapKey = new Float64Array(1024);
  let heapSize = 0;
  const toBucket = (node: number, key: number) => {
    if (entries === entryNode.length) {
      entryNode = grow(entryNode, entries * 2);
      entryNext = grow(entryNext, entries * 2);
    }
    const b = key % bucketCount;
    entryNode[entries] = node;
    entryNext[entries] = bucketHead[b] ?? -1;
    bucketHead[b] = entries++;
    inBuckets++;
    if (key < cursor) cursor = key;
  };
  const heapPush = (node: number, key: number) => {
    if (heapSize === heapNode.length) {
      heapNode = grow(heapNode, heapSize * 2);
      heapKey = grow(heapKey, heapSize * 2);
    }
    let at = heapSize++;
    while (at > 0) {
      const up = (at - 1) >> 1;
      if ((heapKey[up] ?? 0) <= key) break;
      heapNode[at] = heapNode[up] ?? 0;
      heapKey[at] = heapKey[up] ?? 0;
      at = up;
    }
    heapNode[at] = node;
    heapKey[at] = key;
  };
  const heapPop = () => {
    const top = heapNode[0] ?? 0;
    const node = heapNode[--heapSize] ?? 0;
    const key = heapKey[heapSize] ?? 0;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= heapSize) break;
      if (child + 1 < heapSize && (heapKey[child + 1] ?? 0) < (heapKey[child] ?? 0)) child++;
      if ((heapKey[child] ?? 0) >= key) break;
      heapNode[at] = heapNode[child] ?? 0;
      heapKey[at] = heapKey[child] ?? 0;
      at = child;
    }
    heapNode[at] = node;
    heapKey[at] = key;
    return top;
  };
  const clearQueue = () => {
    bucketHead.fill(-1);
    entries = 0;
    inBuckets = 0;
    heapSize = 0;
    current = 0;
    cursor = 0;
  };
  const push = (node: number, key: number) => {
    if (key < current + bucketCount) toBucket(node, key);
    else heapPush(node, key);
  };
  const queueEmpty = () => inBuckets === 0 && heapSize === 0;
  /** Moves the heap's keys that have come within the buckets' range into their buckets. */
  const intoRange = () => {
    while (heapSize > 0 && (heapKey[0] ?? 0) < current + bucketCount) {
      const key = heapKey[0] ?? 0;
      toBucket(heapPop(), key);
    }
  };
  /** The least key in the queue, which must not be empty. */
  const leastKey = () => {
    if (inBuckets === 0) return heapKey[0] ?? 0;
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
  const reach = (v: number, d: number) => {
    if (settledAt[v] === stamp) return;
    if (reachedAt[v] === stamp && d >= (dist[v] ?? 0)) return;
    reachedAt[v] = stamp;
    dist[v] = d;
    push(v, d);
  };
  /**
   * Reads row u's arcs, cheapest first, while their least possible distance (no column's
   * potential is above 0) is at most `limit`; the rest wait in the heap at that bound.
   */
  const scanRow = (u: number, limit: number) => {
    const du = dist[u] ?? 0;
    const pu = pot[u] ?? 0;
    const end = rowStart[u + 1] ?? 0;
    // Nothing at or beyond the sink's distance can shorten a path to it.
    const sinkAt = reachedAt[t] === stamp ? (dist[t] ?? 0) : Number.POSITIVE_INFINITY;
    let k = nextArc[u] ?? 0;
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
      const d = bound - (pot[v] ?? 0);
      // A settled column is never nearer than u (reduced costs are not negative): skipped here.
      if (reachedAt[v] === stamp && d >= (dist[v] ?? 0)) continue;
      if (settledAt[v] === stamp || (capacity[c] ?? 0) <= 0 || takes(c, u)) continue;
      reach(v, d);
    }
    if (k > (readUpTo[u] ?? 0)) readUpTo[u] = k;
  };

  /** Distances from every row with supply left; potentials move so the shortest paths are tight. */
  const shortestPaths = (): boolean => {
    stamp++;
    clearQueue();
    let top = Number.NEGATIVE_INFINITY;
    for (let r = 0; r < rows; r++) if ((left[r] ?? 0) > 0) top = Math.max(top, pot[r] ?? 0);
    for (let r = 0; r < rows; r++) if ((left[r] ?? 0) > 0) reach(r, top - (pot[r] ?? 0));
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
        if (room(c)) reach(t, du + pu - (pot[t] ?? 0));
        for (let q = columnStart[c] ?? 0, end = q + (load[c] ?? 0); q < end; q++) {
          const r = columnRow[q] ?? 0;
          reach(r, du - (columnCost[q] ?? 0) + pu - (pot[r] ?? 0));
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

  // Blocking flow on the tight arcs: depth-first, each node given up on once it leads nowhere.
  const deadAt = new Int32Array(nodes);
  const onPath = new Uint8Array(nodes);
  const arcAt = new Int32Array(rows);
  const pathColumn = new Int32Array(nodes);
  const pathSlot = new Int32Array(nodes);
  const pathCost = new Int32Array(nodes);
  /** Row s ships one unit along tight arcs to a column with room; false when it cannot. */
  const augmentFrom = (s: number): boolean => {
    // Iterative DFS over rows; pathColumn / pathSlot say which column each row leaves by and enters from.
    const stack: number[] = [s];
    onPath[s] = 1;
    while (stack.length > 0) {
      const u = stack[stack.length - 1] ?? 0;
      const pu = pot[u] ?? 0;
      let advanced = false;
      let k = arcAt[u] ?? 0;
      for (const end = rowStart[u + 1] ?? 0; k < end; k++) {
        const arcCost = cost[k] ?? 0;
        if (arcCost + pu > 0) break; // no column's potential is above 0: nothing later is tight
        const c = column[k] ?? 0;
        const v = rows + c;
        // Tightness first: most arcs read here are not tight, and it needs one node read.
        if (arcCost + pu !== (pot[v] ?? 0) || deadAt[v] === stamp || onPath[v]) continue;
        if ((capacity[c] ?? 0) <= 0 || takes(c, u)) continue;
        arcAt[u] = k;
        if (room(c) && pot[v] === pot[t]) {
          if (k >= (readUpTo[u] ?? 0)) readUpTo[u] = k + 1;
          // Found: shift the rows along the path, each into the slot of the column after it.
          pathColumn[u] = c;
          pathCost[u] = arcCost;
          let q = (columnStart[c] ?? 0) + (load[c] ?? 0);
          load[c] = (load[c] ?? 0) + 1;
          for (let x = stack.length - 1; x >= 0; x--) {
            const r = stack[x] ?? 0;
            columnRow[q] = r;
            columnCost[q] = pathCost[r] ?? 0;
            if (x > 0) q = pathSlot[r] ?? 0;
          }
          for (const r of stack) onPath[r] = 0;
          for (let x = 0; x < stack.length; x++) onPath[rows + (pathColumn[stack[x] ?? 0] ?? 0)] = 0;
          return true;
        }
        // Through c to a row it holds, by a tight reverse arc.
        for (let q = columnStart[c] ?? 0, qEnd = q + (load[c] ?? 0); q < qEnd; q++) {
          const r = columnRow[q] ?? 0;
          if (onPath[r] || deadAt[r] === stamp) continue;
          if (-(columnCost[q] ?? 0) + (pot[v] ?? 0) - (pot[r] ?? 0) !== 0) continue;
          pathColumn[u] = c;
          pathCost[u] = arcCost;
          pathSlot[r] = q;
          onPath[v] = 1;
          onPath[r] = 1;
          stack.push(r);
          advanced = true;
          break;
        }
        if (advanced) {
          k++;
          break;
        }
        deadAt[v] = stamp;
      }
      if (k > (readUpTo[u] ?? 0)) readUpTo[u] = k;
      if (advanced) continue;
      // u leads nowhere this phase.
      deadAt[u] = stamp;
      onPath[u] = 0;
      stack.pop();
      const below = stack[stack.length - 1];
      if (below !== undefined) onPath[rows + (pathColumn[below] ?? 0)] = 0;
    }
    return false;
  };

  let phases = 0;
  while (unitsLeft > 0) {
    phases++;
    if (!shortestPaths()) return undefined;
    for (let r = 0; r < rows; r++) arcAt[r] = rowStart[r] ?? 0;
    for (let r = 0; r < rows; r++) {
      while ((left[r] ?? 0) > 0 && settledAt[r] === stamp && deadAt[r] !== stamp && augmentFrom(r)) {
        left[r] = (left[r] ?? 0) - 1;
        unitsLeft--;
      }
    }
  }
  let arcsRead = 0;
  for (let r = 0; r < rows; r++) arcsRead += (readUpTo[r] ?? 0) - (rowStart[r] ?? 0);
  return { columnStart, columnRow, load, pot, phases, arcsRead };
}

/**
 * Orders each row's arcs by cost, cheapest first (ties: column order), in place: the caller's
 * `column` and `cost` arrays are reordered, so no copy of the arcs is made. Costs are scores
 * turned around (a thousand or so values a row), so a row whose columns come in order and whose
 * costs span little more than its length is sorted by counting, which is stable; others by
 * comparison.
 */
function cheapestFirst({ rowStart, column, cost }: Transport): {
  column: Int32Array | Uint16Array;
  cost: Int32Array;
} {
  let widest = 0;
  for (let r = 0; r + 1 < rowStart.length; r++)
    widest = Math.max(widest, (rowStart[r + 1] ?? 0) - (rowStart[r] ?? 0));
  const keys = new Float64Array(widest);
  const rowColumn = new Int32Array(widest);
  const rowCost = new Int32Array(widest);
  let counts = new Int32Array(countingSpan(widest) + 1);
  for (let r = 0; r + 1 < rowStart.length; r++) {
    const from = rowStart[r] ?? 0;
    const size = (rowStart[r + 1] ?? 0) - from;
    let least = Number.POSITIVE_INFINITY;
    let most = Number.NEGATIVE_INFINITY;
    let inOrder = true;
    for (let k = from; k < from + size; k++) {
      const c = cost[k] ?? 0;
      if (c < least) least = c;
      if (c > most) most = c;
      if (k > from && (column[k] ?? 0) <= (column[k - 1] ?? 0)) inOrder = false;
    }
    const span = most - least + 1;
    if (size > 1 && inOrder && span <= countingSpan(size)) {
      if (counts.length <= span) counts = new Int32Array(span + 1);
      counts.fill(0, 0, span + 1);
      for (let k = 0; k < size; k++) {
        rowColumn[k] = column[from + k] ?? 0;
        const c = cost[from + k] ?? 0;
        rowCost[k] = c;
        counts[c - least + 1] = (counts[c - least + 1] ?? 0) + 1;
      }
      for (let x = 1; x <= span; x++) counts[x] = (counts[x] ?? 0) + (counts[x - 1] ?? 0);
      for (let k = 0; k < size; k++) {
        const c = rowCost[k] ?? 0;
        const at = from + (counts[c - least] ?? 0);
        counts[c - least] = (counts[c - least] ?? 0) + 1;
        cost[at] = c;
        column[at] = rowColumn[k] ?? 0;
      }
      continue;
    }
    for (let k = 0; k < size; k++) keys[k] = (cost[from + k] ?? 0) * 0x100000000 + (column[from + k] ?? 0);
    const row = keys.subarray(0, size).sort();
    for (let k = 0; k < size; k++) {
      const key = row[k] ?? 0;
      const c = Math.floor(key / 0x100000000);
      cost[from + k] = c;
      column[from + k] = key - c * 0x100000000;
    }
  }
  return { column, cost };
}

/** The widest span of costs a row of `size` arcs is sorted by counting. */
function countingSpan(size: number): number {
  return Math.max(2048, 4 * size);
}
