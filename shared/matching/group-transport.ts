import { MinHeap } from './min-heap.ts';

/**
 * The transportation problem between groups of alike mentees (rows: a supply of as many
 * units as members) and groups of alike mentors (columns: their places), for cohorts where
 * both sides are alike (alike-people.ts): every unit ships to a column over an arc of its
 * row, without limit per arc, or leaves by its row's exit, at least total cost.
 *
 * Successive shortest paths (the primal–dual method): potentials on rows, columns and the
 * sink keep every residual arc's reduced cost non-negative; each Dijkstra search, from the
 * rows with units left, finds a cheapest way to the sink (through a column with room, or an
 * exit), and the path takes as many units as its narrowest step allows (a row's units left,
 * a column's room, the flow on an arc it runs back over). The groups are few, so each search
 * reads every arc. At the end the potentials prove the flow optimal on every arc: checked
 * (`provesOptimal`), not assumed.
 */
export interface GroupTransport {
  /** Arcs of row r are `rowStart[r] .. rowStart[r + 1]`, each to `column[k]` at `cost[k]` a unit. */
  rowStart: Int32Array;
  column: Int32Array;
  cost: Float64Array;
  supply: Int32Array;
  capacity: Int32Array;
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

/** Ships every row's supply; undefined when it takes more than `maxSearches` searches. */
export function shipGroups(transport: GroupTransport, maxSearches: number): GroupFlow | undefined {
  const { rowStart, column, cost, supply, capacity, exitCost } = transport;
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
  // How each node was reached: from `prev`, by `via` (an arc k ≥ 0, back over arc k as
  // −2 − k, or to the sink by an exit or a column's place); a row with units left starts one.
  const prev = new Int32Array(nodes);
  const via = new Int32Array(nodes);
  const done = new Uint8Array(nodes);
  const heap = new MinHeap();
  let searches = 0;
  let unitsLeft = left.reduce((sum, units) => sum + units, 0);

  while (unitsLeft > 0) {
    if (++searches > maxSearches) return undefined;
    dist.fill(Number.POSITIVE_INFINITY);
    done.fill(0);
    for (let r = 0; r < rows; r++) {
      if ((left[r] ?? 0) > 0) {
        dist[r] = 0;
        via[r] = pathStart;
        heap.push(r, 0);
      }
    }
    while (heap.size > 0) {
      const x = heap.pop();
      if (done[x]) continue;
      done[x] = 1;
      if (x === sink) break;
      const dx = (dist[x] ?? 0) + (pot[x] ?? 0);
      const reach = (y: number, length: number, arc: number) => {
        const d = dx + length - (pot[y] ?? 0);
        if (!done[y] && d < (dist[y] ?? 0)) {
          dist[y] = d;
          prev[y] = x;
          via[y] = arc;
          heap.push(y, d);
        }
      };
      if (x < rows) {
        for (let k = rowStart[x] ?? 0; k < (rowStart[x + 1] ?? 0); k++) {
          reach(rows + (column[k] ?? 0), cost[k] ?? 0, k);
        }
        reach(sink, exitCost, byExit);
      } else {
        const c = x - rows;
        if ((room[c] ?? 0) > 0) reach(sink, 0, byPlace);
        for (let t = columnArcs.start[c] ?? 0; t < (columnArcs.start[c + 1] ?? 0); t++) {
          const k = columnArcs.arc[t] ?? 0;
          if ((flow[k] ?? 0) > 0) reach(columnArcs.row[t] ?? 0, -(cost[k] ?? 0), -2 - k);
        }
      }
    }
    while (heap.size > 0) heap.pop();
    const toSink = dist[sink] ?? Number.POSITIVE_INFINITY;
    // Johnson's reweighting: every node settled moves by its distance, the others by the sink's.
    for (let x = 0; x < nodes; x++) pot[x] = (pot[x] ?? 0) + Math.min(dist[x] ?? 0, toSink);
    // The path's narrowest step, then the units along it.
    let units = Number.POSITIVE_INFINITY;
    let y = sink;
    for (; via[y] !== pathStart; y = prev[y] ?? 0) {
      const arc = via[y] ?? 0;
      if (arc === byPlace) units = Math.min(units, room[(prev[y] ?? 0) - rows] ?? 0);
      else if (arc !== byExit && arc <= -2) units = Math.min(units, flow[-2 - arc] ?? 0);
    }
    units = Math.min(units, left[y] ?? 0);
    left[y] = (left[y] ?? 0) - units;
    unitsLeft -= units;
    for (y = sink; via[y] !== pathStart; y = prev[y] ?? 0) {
      const arc = via[y] ?? 0;
      if (arc === byPlace) room[(prev[y] ?? 0) - rows] = (room[(prev[y] ?? 0) - rows] ?? 0) - units;
      else if (arc === byExit) exits[prev[y] ?? 0] = (exits[prev[y] ?? 0] ?? 0) + units;
      else if (arc >= 0) flow[arc] = (flow[arc] ?? 0) + units;
      else flow[-2 - arc] = (flow[-2 - arc] ?? 0) - units;
    }
  }
  return { flow, exits, searches, pot };
}

/**
 * Whether `pot` proves `shipped` optimal: every residual arc's reduced cost (cost + π(from) −
 * π(to)) is non-negative: arcs of rows (and back over those with flow), exits (and back over
 * those used), and each column's arc to the sink while it has room (and back while it is used).
 */
export function provesOptimal(transport: GroupTransport, shipped: GroupFlow): boolean {
  const { rowStart, column, cost, capacity, exitCost } = transport;
  const { flow, exits, pot } = shipped;
  const rows = transport.supply.length;
  const sink = rows + capacity.length;
  const used = new Int32Array(capacity.length);
  const reduced = (from: number, to: number, c: number) => c + (pot[from] ?? 0) - (pot[to] ?? 0);
  for (let r = 0; r < rows; r++) {
    for (let k = rowStart[r] ?? 0; k < (rowStart[r + 1] ?? 0); k++) {
      const c = column[k] ?? 0;
      const value = reduced(r, rows + c, cost[k] ?? 0);
      if (value < 0 || ((flow[k] ?? 0) > 0 && value > 0)) return false;
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

const pathStart = -1;
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
