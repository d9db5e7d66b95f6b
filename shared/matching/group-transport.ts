import { MinHeap } from './min-heap.ts';
import { bucketed, byItem } from './pair-scores.ts';

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
  /**
   * Units shipped one by one beside the rows (mentees who name several mentors of their own):
   * each by an arc of its own to a column, or through its row (`Feeders.row`), whose arcs and
   * exit it then shares with the row's own units.
   */
  feeders?: Feeders;
}

/** One unit each: feeder f's arcs are `start[f] .. start[f + 1]`, to `column[k]` at `cost[k]`. */
export interface Feeders {
  /** Per feeder, the row it may go through, at no cost. */
  row: Int32Array;
  start: Int32Array;
  column: Int32Array;
  cost: Float64Array;
}

export interface GroupFlow {
  /** Units per arc. */
  flow: Int32Array;
  /** Units per row that leave by its exit. */
  exits: Int32Array;
  /** Shortest-path searches. */
  searches: number;
  /** Potentials: rows, then columns, then the sink, then the feeders. */
  pot: Float64Array;
  /** Per feeder arc, its unit (0 or 1); per feeder, 1 when its unit went through its row. */
  feederFlow: Int32Array;
  throughRow: Int32Array;
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
  const feeders = transport.feeders ?? noFeeders;
  const roomOn = arcRoom(transport);
  const rows = supply.length;
  const sink = rows + capacity.length;
  const firstFeeder = sink + 1;
  const nodes = firstFeeder + feeders.row.length;
  const flow = new Int32Array(column.length);
  const exits = new Int32Array(rows);
  const feederFlow = new Int32Array(feeders.column.length);
  const throughRow = new Int32Array(feeders.row.length);
  // Units left to ship at each node: rows, then (after the columns and the sink) the feeders.
  const left = new Int32Array(nodes);
  left.set(supply);
  left.fill(1, firstFeeder);
  const room = capacity.slice();
  const pot = new Float64Array(nodes);
  // The arcs into each column (`items`), with the row or feeder each leaves; each row's feeders.
  const columnArcs = byItem({ start: rowStart, items: column }, capacity.length);
  const feederArcs = byItem({ start: feeders.start, items: feeders.column }, capacity.length);
  const rowFeeders = bucketed(feeders.row, rows);
  const dist = new Float64Array(nodes);
  const done = new Uint8Array(nodes);
  const heap = new MinHeap();
  let searches = 0;
  let unitsLeft = left.reduce((sum, units) => sum + units, 0);
  /** What `stepAt` found: its kind (`Step`), the arc or feeder it is by, where it leads, its reduced cost. */
  const step = { kind: 0, index: 0, to: 0, reduced: 0 };

  while (unitsLeft > 0) {
    if (++searches > maxSearches) return undefined;
    // Dijkstra from the nodes with units left, on reduced costs.
    dist.fill(Number.POSITIVE_INFINITY);
    done.fill(0);
    for (let x = 0; x < nodes; x++) {
      if ((left[x] ?? 0) > 0) {
        dist[x] = 0;
        heap.push(x, 0);
      }
    }
    while (heap.size > 0) {
      const x = heap.pop();
      if (done[x]) continue;
      done[x] = 1;
      if (x === sink) break;
      const dx = dist[x] ?? 0;
      // A row's arcs, most of every search, are read in place; its other steps by `stepAt`.
      const px = pot[x] ?? 0;
      for (
        let k = x < rows ? (rowStart[x] ?? 0) : 0, end = x < rows ? (rowStart[x + 1] ?? 0) : 0;
        k < end;
        k++
      ) {
        if (!hasRoom(k)) continue;
        const y = rows + (column[k] ?? 0);
        const d = dx + (cost[k] ?? 0) + px - (pot[y] ?? 0);
        if (!done[y] && d < (dist[y] ?? 0)) {
          dist[y] = d;
          heap.push(y, d);
        }
      }
      // So are a column's arcs back to the rows.
      for (let at = backFrom(x), end = backTo(x); at < end; at++) {
        const k = columnArcs.items[at] ?? 0;
        if ((flow[k] ?? 0) <= 0) continue;
        const y = columnArcs.row[at] ?? 0;
        const d = dx - (cost[k] ?? 0) + px - (pot[y] ?? 0);
        if (!done[y] && d < (dist[y] ?? 0)) {
          dist[y] = d;
          heap.push(y, d);
        }
      }
      for (let t = firstOtherStep(x), steps = stepCount(x); t < steps; t = nextOtherStep(x, t)) {
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
  return { flow, exits, searches, pot, feederFlow, throughRow };

  /**
   * Units pushed along the steps of zero reduced cost, until no such way to the sink is left
   * (Dinic's level graphs, each walked with a current step per node). The reduced costs are
   * sums of integers, so zero is exact.
   */
  function blockingFlow(): number {
    const level = new Int32Array(nodes);
    const queue = new Int32Array(nodes);
    const pathNode = new Int32Array(nodes + 1);
    const pathKind = new Int32Array(nodes + 1);
    const pathIndex = new Int32Array(nodes + 1);
    const current = new Int32Array(nodes);
    let pushed = 0;
    for (;;) {
      // Levels by breadth-first search from the nodes with units left.
      level.fill(-1);
      let head = 0;
      let tail = 0;
      for (let x = 0; x < nodes; x++) {
        if ((left[x] ?? 0) > 0) {
          level[x] = 0;
          queue[tail++] = x;
        }
      }
      while (head < tail) {
        const x = queue[head++] ?? 0;
        if (x === sink) continue;
        const px = pot[x] ?? 0;
        for (
          let k = x < rows ? (rowStart[x] ?? 0) : 0, end = x < rows ? (rowStart[x + 1] ?? 0) : 0;
          k < end;
          k++
        ) {
          const y = rows + (column[k] ?? 0);
          if (hasRoom(k) && (cost[k] ?? 0) + px - (pot[y] ?? 0) === 0 && (level[y] ?? 0) < 0) {
            level[y] = (level[x] ?? 0) + 1;
            queue[tail++] = y;
          }
        }
        for (let at = backFrom(x), end = backTo(x); at < end; at++) {
          const k = columnArcs.items[at] ?? 0;
          const y = columnArcs.row[at] ?? 0;
          if ((flow[k] ?? 0) > 0 && (level[y] ?? 0) < 0 && -(cost[k] ?? 0) + px - (pot[y] ?? 0) === 0) {
            level[y] = (level[x] ?? 0) + 1;
            queue[tail++] = y;
          }
        }
        for (let t = firstOtherStep(x), steps = stepCount(x); t < steps; t = nextOtherStep(x, t)) {
          if (stepAt(x, t) && step.reduced === 0 && (level[step.to] ?? 0) < 0) {
            level[step.to] = (level[x] ?? 0) + 1;
            queue[tail++] = step.to;
          }
        }
      }
      if ((level[sink] ?? -1) < 0) return pushed;
      current.fill(0);
      for (let x = 0; x < nodes; x++) {
        while ((left[x] ?? 0) > 0) {
          const units = augmentFrom(x);
          if (units === 0) break;
          pushed += units;
        }
      }
    }

    /** One path from node x0 to the sink along the level graph, its units pushed (0: none left). */
    function augmentFrom(x0: number): number {
      let depth = 0;
      pathNode[0] = x0;
      while (depth >= 0) {
        const x = pathNode[depth] ?? 0;
        if (x === sink) break;
        // x's next step from its current one, to the next level at zero reduced cost.
        const steps = stepCount(x);
        const next = (level[x] ?? 0) + 1;
        let t = current[x] ?? 0;
        // A row's arcs read in place, as in the searches.
        for (const arcs = firstOtherStep(x), px = pot[x] ?? 0; t < arcs; t++) {
          const k = (rowStart[x] ?? 0) + t;
          const y = rows + (column[k] ?? 0);
          if (hasRoom(k) && level[y] === next && (cost[k] ?? 0) + px - (pot[y] ?? 0) === 0) {
            setStep(x, Step.arc, k, y, cost[k] ?? 0);
            break;
          }
        }
        if (t >= firstOtherStep(x)) {
          for (; t < steps; t++) if (stepAt(x, t) && step.reduced === 0 && level[step.to] === next) break;
        }
        current[x] = t;
        if (t === steps) {
          level[x] = -1; // a dead end: no way to the sink from here in this level graph
          depth--;
          continue;
        }
        depth++;
        pathKind[depth] = step.kind;
        pathIndex[depth] = step.index;
        pathNode[depth] = step.to;
      }
      if (depth < 0) return 0;
      let units = left[x0] ?? 0;
      for (let d = 1; d <= depth; d++) units = Math.min(units, stepRoom(pathKind[d] ?? 0, pathIndex[d] ?? 0));
      left[x0] = (left[x0] ?? 0) - units;
      for (let d = 1; d <= depth; d++) take(pathKind[d] ?? 0, pathIndex[d] ?? 0, units);
      return units;
    }
  }

  /** Whether arc k can take another unit. */
  function hasRoom(k: number): boolean {
    return roomOn(k, flow) > 0;
  }

  /** The first of node x's steps that is not one of a row's arcs. */
  function firstOtherStep(x: number): number {
    return x < rows ? (rowStart[x + 1] ?? 0) - (rowStart[x] ?? 0) : 0;
  }

  /** The step after t that the searches read by `stepAt`: past a column's arcs back, read in place. */
  function nextOtherStep(x: number, t: number): number {
    return x >= rows && x < sink && t === 0 ? 1 + backTo(x) - backFrom(x) : t + 1;
  }

  /** A column's arcs back to the rows, `columnArcs` from `backFrom(x)` to `backTo(x)` (none for other nodes). */
  function backFrom(x: number): number {
    return x >= rows && x < sink ? (columnArcs.start[x - rows] ?? 0) : 0;
  }
  function backTo(x: number): number {
    return x >= rows && x < sink ? (columnArcs.start[x - rows + 1] ?? 0) : 0;
  }

  /**
   * Node x's steps, residual or not: a row's arcs, its exit, then back to the feeders that
   * went through it; a column's place, then back over its arcs and its feeders' arcs; a
   * feeder's arcs, then through its row.
   */
  function stepCount(x: number): number {
    if (x < rows) {
      return (
        (rowStart[x + 1] ?? 0) -
        (rowStart[x] ?? 0) +
        1 +
        (rowFeeders.start[x + 1] ?? 0) -
        (rowFeeders.start[x] ?? 0)
      );
    }
    if (x < sink) {
      const c = x - rows;
      return (
        1 +
        (columnArcs.start[c + 1] ?? 0) -
        (columnArcs.start[c] ?? 0) +
        (feederArcs.start[c + 1] ?? 0) -
        (feederArcs.start[c] ?? 0)
      );
    }
    if (x === sink) return 0;
    const f = x - firstFeeder;
    return (feeders.start[f + 1] ?? 0) - (feeders.start[f] ?? 0) + 1;
  }

  /** Step t of node x into `step`, with its reduced cost; false when it has no room left. */
  function stepAt(x: number, t: number): boolean {
    if (x < rows) {
      const arcs = (rowStart[x + 1] ?? 0) - (rowStart[x] ?? 0);
      if (t < arcs) {
        const k = (rowStart[x] ?? 0) + t;
        return hasRoom(k) && setStep(x, Step.arc, k, rows + (column[k] ?? 0), cost[k] ?? 0);
      }
      if (t === arcs) return setStep(x, Step.exit, x, sink, exitCost);
      const f = rowFeeders.items[(rowFeeders.start[x] ?? 0) + t - arcs - 1] ?? 0;
      return (throughRow[f] ?? 0) > 0 && setStep(x, Step.backThroughRow, f, firstFeeder + f, 0);
    }
    if (x < sink) {
      const c = x - rows;
      if (t === 0) return (room[c] ?? 0) > 0 && setStep(x, Step.place, c, sink, 0);
      const back = (columnArcs.start[c + 1] ?? 0) - (columnArcs.start[c] ?? 0);
      if (t <= back) {
        const at = (columnArcs.start[c] ?? 0) + t - 1;
        const k = columnArcs.items[at] ?? 0;
        return (flow[k] ?? 0) > 0 && setStep(x, Step.backArc, k, columnArcs.row[at] ?? 0, -(cost[k] ?? 0));
      }
      const at = (feederArcs.start[c] ?? 0) + t - 1 - back;
      const k = feederArcs.items[at] ?? 0;
      const y = firstFeeder + (feederArcs.row[at] ?? 0);
      return (feederFlow[k] ?? 0) > 0 && setStep(x, Step.backFeederArc, k, y, -(feeders.cost[k] ?? 0));
    }
    const f = x - firstFeeder;
    const k = (feeders.start[f] ?? 0) + t;
    if (k < (feeders.start[f + 1] ?? 0)) {
      return setStep(x, Step.feederArc, k, rows + (feeders.column[k] ?? 0), feeders.cost[k] ?? 0);
    }
    return setStep(x, Step.throughRow, f, feeders.row[f] ?? 0, 0);
  }

  /** A step from x to `to` of cost c, by `kind` and `index`, with its reduced cost. */
  function setStep(x: number, kind: number, index: number, to: number, c: number): true {
    step.kind = kind;
    step.index = index;
    step.to = to;
    step.reduced = c + (pot[x] ?? 0) - (pot[to] ?? 0);
    return true;
  }
  /** The units a step can still take. */
  function stepRoom(kind: number, index: number): number {
    if (kind === Step.arc) return roomOn(index, flow);
    if (kind === Step.backArc) return flow[index] ?? 0;
    if (kind === Step.place) return room[index] ?? 0;
    if (kind === Step.backFeederArc) return feederFlow[index] ?? 0;
    if (kind === Step.backThroughRow) return throughRow[index] ?? 0;
    return Number.POSITIVE_INFINITY; // an exit, a feeder's arc or its way through its row
  }

  /** `units` along a step. */
  function take(kind: number, index: number, units: number): void {
    if (kind === Step.arc) flow[index] = (flow[index] ?? 0) + units;
    else if (kind === Step.backArc) flow[index] = (flow[index] ?? 0) - units;
    else if (kind === Step.exit) exits[index] = (exits[index] ?? 0) + units;
    else if (kind === Step.place) room[index] = (room[index] ?? 0) - units;
    else if (kind === Step.feederArc) feederFlow[index] = (feederFlow[index] ?? 0) + units;
    else if (kind === Step.backFeederArc) feederFlow[index] = (feederFlow[index] ?? 0) - units;
    else if (kind === Step.throughRow) throughRow[index] = (throughRow[index] ?? 0) + units;
    else throughRow[index] = (throughRow[index] ?? 0) - units;
  }
}

/** The kinds of a residual step: `index` is an arc, a row (exit), a column (place) or a feeder. */
const Step = {
  arc: 0,
  backArc: 1,
  exit: 2,
  place: 3,
  feederArc: 4,
  backFeederArc: 5,
  throughRow: 6,
  backThroughRow: 7,
} as const;

const noFeeders: Feeders = {
  row: new Int32Array(0),
  start: new Int32Array(1),
  column: new Int32Array(0),
  cost: new Float64Array(0),
};

/**
 * Whether `pot` proves `shipped` optimal: every residual arc's reduced cost (cost + π(from) −
 * π(to)) is non-negative: arcs of rows while they have room (and back over those with flow),
 * exits (and back over those used), the feeders' arcs and ways through their rows (and back),
 * and each column's arc to the sink while it has room (and back while it is used).
 */
export function provesOptimal(transport: GroupTransport, shipped: GroupFlow): boolean {
  const { rowStart, column, cost, capacity, exitCost } = transport;
  const feeders = transport.feeders ?? noFeeders;
  const roomOn = arcRoom(transport);
  const { flow, exits, pot, feederFlow, throughRow } = shipped;
  const rows = transport.supply.length;
  const sink = rows + capacity.length;
  const used = new Int32Array(capacity.length);
  const reduced = (from: number, to: number, c: number) => c + (pot[from] ?? 0) - (pot[to] ?? 0);
  // Each feeder's unit: shipped once, by an arc of its own or through its row, at zero reduced
  // cost, where no other way of it is cheaper.
  for (let f = 0; f < feeders.row.length; f++) {
    const x = sink + 1 + f;
    let units = throughRow[f] ?? 0;
    const through = reduced(x, feeders.row[f] ?? 0, 0);
    if (through < 0 || (units > 0 && through > 0)) return false;
    for (let k = feeders.start[f] ?? 0; k < (feeders.start[f + 1] ?? 0); k++) {
      const c = feeders.column[k] ?? 0;
      const value = reduced(x, rows + c, feeders.cost[k] ?? 0);
      if (value < 0 || ((feederFlow[k] ?? 0) > 0 && value > 0)) return false;
      units += feederFlow[k] ?? 0;
      used[c] = (used[c] ?? 0) + (feederFlow[k] ?? 0);
    }
    if (units !== 1) return false;
  }
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
