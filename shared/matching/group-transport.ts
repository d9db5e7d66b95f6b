import { MinHeap } from './min-heap.ts';

/**
 * The transportation problem between groups of alike mentees (rows: a supply of as many
 * units as members) and groups of alike mentors (columns: their places), for cohorts where
 * both sides are alike (alike-people.ts): every unit ships to a column over an arc of its
 * row, up to the arc's limit if it has one, or leaves by its row's exit, at least total cost.
 *
 * Successive shortest paths (the primal–dual method): potentials on rows, columns and the
 * sink keep every residual arc's reduced cost non-negative; each Dijkstra search, from the
 * rows with units left, finds the least cost of a way to the sink (through a column with
 * room, or an exit), and then every such way is taken, each path as many units as its
 * narrowest step allows (a row's units left, a column's room, an arc's room, the flow on an
 * arc it runs back over). The groups are few, so each search reads every arc. At the end the
 * potentials prove the flow optimal on every arc: checked (`provesOptimal`), not assumed.
 */
export interface GroupTransport {
  /** Arcs of row r are `rowStart[r] .. rowStart[r + 1]`, each to `column[k]` at `cost[k]` a unit. */
  rowStart: Int32Array;
  column: Int32Array;
  cost: Float64Array;
  supply: Int32Array;
  capacity: Int32Array;
  /**
   * Units an arc may carry, where it is limited (the bonus of mentees who each name a mentor of
   * their own: as many as name that mentor); without it, every arc is unlimited.
   */
  arcLimit?: Int32Array;
  /** The cost of one unit leaving by its row's exit (unmatched). */
  exitCost: number;
}

export interface GroupFlow {
  /** Units per arc. */
  flow: Int32Array;
  /** Units per row that leave by its exit. */
  exits: Int32Array;
  /** Shortest-path searches. */
  searches: number;
  /** Potentials: rows, then columns, then the sink. */
  pot: Float64Array;
}

/**
 * Ships every row's supply; undefined when it takes more than `maxSearches` searches. After
 * each search, every way to the sink at the least cost is taken at once (a blocking flow on
 * the arcs of zero reduced cost, as in Dinic's algorithm), not only the path the search found:
 * where many groups are alike but for a mentor of their own, one path a search took
 * 23,500 searches at 50,000 mentees (docs/matching-log.md).
 */
export function shipGroups(transport: GroupTransport, maxSearches: number): GroupFlow | undefined {
  const { rowStart, column, cost, supply, capacity, exitCost } = transport;
  const roomOn = arcRoom(transport);
  const rows = supply.length;
  const sink = rows + capacity.length;
  const nodes = sink + 1;
  const flow = new Int32Array(column.length);
  const exits = new Int32Array(rows);
  const left = supply.slice();
  const room = capacity.slice();
  const pot = new Float64Array(nodes);
  const columnArcs = arcsByColumn(rowStart, column, capacity.length);
  const dist = new Float64Array(nodes);
  const done = new Uint8Array(nodes);
  const heap = new MinHeap();
  let searches = 0;
  let unitsLeft = left.reduce((sum, units) => sum + units, 0);
  /** What `stepAt` found. */
  const step = { via: 0, to: 0, reduced: 0 };

  while (unitsLeft > 0) {
    if (++searches > maxSearches) return undefined;
    // Dijkstra from the rows with units left, on reduced costs.
    dist.fill(Number.POSITIVE_INFINITY);
    done.fill(0);
    for (let r = 0; r < rows; r++) {
      if ((left[r] ?? 0) > 0) {
        dist[r] = 0;
        heap.push(r, 0);
      }
    }
    while (heap.size > 0) {
      const x = heap.pop();
      if (done[x]) continue;
      done[x] = 1;
      if (x === sink) break;
      const dx = dist[x] ?? 0;
      for (let t = 0, steps = stepCount(x); t < steps; t++) {
        if (!stepAt(x, t)) continue;
        const d = dx + step.reduced;
        if (!done[step.to] && d < (dist[step.to] ?? 0)) {
          dist[step.to] = d;
          heap.push(step.to, d);
        }
      }
    }
    while (heap.size > 0) heap.pop();
    const toSink = dist[sink] ?? Number.POSITIVE_INFINITY;
    // Johnson's reweighting: every node settled moves by its distance, the others by the sink's.
    for (let x = 0; x < nodes; x++) pot[x] = (pot[x] ?? 0) + Math.min(dist[x] ?? 0, toSink);
    unitsLeft -= blockingFlow();
  }
  return { flow, exits, searches, pot };

  /**
   * Units pushed along the steps of zero reduced cost, until no such way to the sink is left
   * (Dinic's level graphs, each walked with a current step per node). The reduced costs are
   * sums of integers, so zero is exact.
   */
  function blockingFlow(): number {
    const level = new Int32Array(nodes);
    const queue = new Int32Array(nodes);
    const pathNode = new Int32Array(nodes + 1);
    const pathVia = new Int32Array(nodes + 1);
    const current = new Int32Array(nodes);
    let pushed = 0;
    for (;;) {
      // Levels by breadth-first search from the rows with units left.
      level.fill(-1);
      let head = 0;
      let tail = 0;
      for (let r = 0; r < rows; r++) {
        if ((left[r] ?? 0) > 0) {
          level[r] = 0;
          queue[tail++] = r;
        }
      }
      while (head < tail) {
        const x = queue[head++] ?? 0;
        if (x === sink) continue;
        for (let t = 0, steps = stepCount(x); t < steps; t++) {
          if (stepAt(x, t) && step.reduced === 0 && (level[step.to] ?? 0) < 0) {
            level[step.to] = (level[x] ?? 0) + 1;
            queue[tail++] = step.to;
          }
        }
      }
      if ((level[sink] ?? -1) < 0) return pushed;
      current.fill(0);
      for (let r = 0; r < rows; r++) {
        while ((left[r] ?? 0) > 0) {
          const units = augmentFrom(r);
          if (units === 0) break;
          pushed += units;
        }
      }
    }

    /** One path from row r to the sink along the level graph, its units pushed (0: none left). */
    function augmentFrom(r: number): number {
      let depth = 0;
      pathNode[0] = r;
      while (depth >= 0) {
        const x = pathNode[depth] ?? 0;
        if (x === sink) break;
        // x's next step from its current one, to the next level at zero reduced cost.
        const steps = stepCount(x);
        let t = current[x] ?? 0;
        for (; t < steps; t++) {
          if (stepAt(x, t) && step.reduced === 0 && level[step.to] === (level[x] ?? 0) + 1) break;
        }
        current[x] = t;
        if (t === steps) {
          level[x] = -1; // a dead end: no way to the sink from here in this level graph
          depth--;
          continue;
        }
        pathVia[depth + 1] = step.via;
        pathNode[++depth] = step.to;
      }
      if (depth < 0) return 0;
      let units = left[r] ?? 0;
      for (let d = 1; d <= depth; d++)
        units = Math.min(units, stepRoom(pathNode[d - 1] ?? 0, pathVia[d] ?? 0));
      left[r] = (left[r] ?? 0) - units;
      for (let d = 1; d <= depth; d++) {
        const from = pathNode[d - 1] ?? 0;
        const via = pathVia[d] ?? 0;
        if (via === byPlace) room[from - rows] = (room[from - rows] ?? 0) - units;
        else if (via === byExit) exits[from] = (exits[from] ?? 0) + units;
        else if (via >= 0) flow[via] = (flow[via] ?? 0) + units;
        else flow[-2 - via] = (flow[-2 - via] ?? 0) - units;
      }
      return units;
    }
  }

  /**
   * Node x's steps, residual or not: a row's arcs then its exit; a column's place then its arcs
   * back. Each is a `via` (an arc k ≥ 0, back over arc k as −2 − k, or to the sink by an exit
   * or a column's place).
   */
  function stepCount(x: number): number {
    if (x < rows) return (rowStart[x + 1] ?? 0) - (rowStart[x] ?? 0) + 1;
    const c = x - rows;
    return 1 + (columnArcs.start[c + 1] ?? 0) - (columnArcs.start[c] ?? 0);
  }

  /** Step t of node x into `step`, with its reduced cost; false when it has no room left. */
  function stepAt(x: number, t: number): boolean {
    const px = pot[x] ?? 0;
    if (x < rows) {
      const k = (rowStart[x] ?? 0) + t;
      if (k === (rowStart[x + 1] ?? 0)) return setStep(byExit, sink, exitCost + px - (pot[sink] ?? 0));
      const y = rows + (column[k] ?? 0);
      return roomOn(k, flow) > 0 && setStep(k, y, (cost[k] ?? 0) + px - (pot[y] ?? 0));
    }
    const c = x - rows;
    if (t === 0) return (room[c] ?? 0) > 0 && setStep(byPlace, sink, px - (pot[sink] ?? 0));
    const at = (columnArcs.start[c] ?? 0) + t - 1;
    const k = columnArcs.arc[at] ?? 0;
    const y = columnArcs.row[at] ?? 0;
    return (flow[k] ?? 0) > 0 && setStep(-2 - k, y, -(cost[k] ?? 0) + px - (pot[y] ?? 0));
  }

  function setStep(via: number, to: number, reduced: number): true {
    step.via = via;
    step.to = to;
    step.reduced = reduced;
    return true;
  }

  /** The units a step from node `from` can still take. */
  function stepRoom(from: number, via: number): number {
    if (via === byPlace) return room[from - rows] ?? 0;
    if (via === byExit) return Number.POSITIVE_INFINITY;
    if (via >= 0) return roomOn(via, flow);
    return flow[-2 - via] ?? 0;
  }
}

/**
 * Whether `pot` proves `shipped` optimal: every residual arc's reduced cost (cost + π(from) −
 * π(to)) is non-negative: arcs of rows while they have room (and back over those with flow),
 * exits (and back over those used), and each column's arc to the sink while it has room (and
 * back while it is used).
 */
export function provesOptimal(transport: GroupTransport, shipped: GroupFlow): boolean {
  const { rowStart, column, cost, capacity, exitCost } = transport;
  const roomOn = arcRoom(transport);
  const { flow, exits, pot } = shipped;
  const rows = transport.supply.length;
  const sink = rows + capacity.length;
  const used = new Int32Array(capacity.length);
  const reduced = (from: number, to: number, c: number) => c + (pot[from] ?? 0) - (pot[to] ?? 0);
  for (let r = 0; r < rows; r++) {
    for (let k = rowStart[r] ?? 0; k < (rowStart[r + 1] ?? 0); k++) {
      const c = column[k] ?? 0;
      const value = reduced(r, rows + c, cost[k] ?? 0);
      if ((flow[k] ?? 0) < 0 || roomOn(k, flow) < 0) return false;
      if ((value < 0 && roomOn(k, flow) > 0) || ((flow[k] ?? 0) > 0 && value > 0)) return false;
      used[c] = (used[c] ?? 0) + (flow[k] ?? 0);
    }
    const exit = reduced(r, sink, exitCost);
    if (exit < 0 || ((exits[r] ?? 0) > 0 && exit > 0)) return false;
  }
  for (let c = 0; c < capacity.length; c++) {
    const value = reduced(rows + c, sink, 0);
    if ((used[c] ?? 0) > (capacity[c] ?? 0)) return false;
    if ((used[c] ?? 0) < (capacity[c] ?? 0) && value < 0) return false;
    if ((used[c] ?? 0) > 0 && value > 0) return false;
  }
  return true;
}

/** Units arc k can still take: its limit less its flow, or without limit. */
function arcRoom({ arcLimit }: GroupTransport): (k: number, flow: Int32Array) => number {
  return arcLimit ? (k, flow) => (arcLimit[k] ?? 0) - (flow[k] ?? 0) : () => Number.POSITIVE_INFINITY;
}

const byExit = -1_000_000_001;
const byPlace = -1_000_000_002;

/** The arcs into each column, with the row each leaves. */
function arcsByColumn(rowStart: Int32Array, column: Int32Array, columns: number) {
  const start = new Int32Array(columns + 1);
  for (const c of column) start[c + 1] = (start[c + 1] ?? 0) + 1;
  for (let c = 0; c < columns; c++) start[c + 1] = (start[c + 1] ?? 0) + (start[c] ?? 0);
  const at = start.slice(0, -1);
  const arc = new Int32Array(column.length);
  const row = new Int32Array(column.length);
  for (let r = 0; r < rowStart.length - 1; r++) {
    for (let k = rowStart[r] ?? 0; k < (rowStart[r + 1] ?? 0); k++) {
      const c = column[k] ?? 0;
      arc[at[c] ?? 0] = k;
      row[at[c] ?? 0] = r;
      at[c] = (at[c] ?? 0) + 1;
    }
  }
  return { start, arc, row };
}
