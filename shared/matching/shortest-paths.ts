/**
 * Successive shortest paths from the scarce side: the transportation problem where every row
 * must ship all of its supply, one unit per arc, to columns of limited capacity, at least total
 * cost. It suits the side of a matching that is short — a mentor's places when mentors run out,
 * the mentees when places are plenty — because augmenting paths then end soon at a column with
 * room, and nobody has to be priced out.
 *
 * Potentials π on rows, columns and the sink keep every residual arc's reduced cost
 * (cost + π(from) − π(to)) non-negative throughout:
 * - start: π(row) = −(its cheapest arc), columns and the sink 0; then every row takes the
 *   columns with room its cheapest arcs reach (those arcs are tight);
 * - each remaining unit: Dijkstra from its row on reduced costs, to the sink through a column
 *   with room; settled nodes' potentials move by their distance (less the sink's), so the
 *   path becomes tight and every arc stays non-negative (Johnson's reweighting). Only the
 *   settled nodes are touched: all potentials may shift by one constant.
 * At the end the potentials prove the flow optimal on every arc given (integer costs, no
 * rounding), which is what the caller's certificate reads. Same input, same output.
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

export interface Seed {
  /** Pairs (row[k], column[k]) that can ship every row's supply together. */
  row: Int32Array;
  column: Int32Array;
}

/**
 * Ships on a sparse candidate graph, widened until the potentials hold on every arc: each row
 * starts with its `perRow` cheapest arcs and the seed's; after a solve, a row with an outside
 * arc of negative reduced cost gets `perRow` more cheapest arcs and every such arc, and the
 * solve starts again (on a graph that small, starting again costs less than repairing).
 * Outside arcs are only read where they could fail: no column's potential is above 0, so past
 * the first arc with cost + π(row) ≥ 0 none can. `rounds` solves; `candidateArcs` at the end.
 * Each row's arcs in `transport` are reordered, cheapest first.
 */
export function shipFromScarceSide(
  transport: Transport,
  seed: Seed,
  perRow: number,
): (Shipment & { rounds: number; candidateArcs: number }) | undefined {
  const { rowStart, supply, capacity } = transport;
  const rows = supply.length;
  const { column, cost } = cheapestFirst(transport);
  const length = Int32Array.from(supply, (_, r) =>
    Math.min(perRow * Math.max(1, supply[r] ?? 0), (rowStart[r + 1] ?? 0) - (rowStart[r] ?? 0)),
  );
  const extra = new Map<number, number[]>();
  const addExtra = (r: number, k: number) => {
    const list = extra.get(r) ?? [];
    if (!list.includes(k)) list.push(k);
    extra.set(r, list);
  };
  for (let s = 0; s < seed.row.length; s++) {
    const r = seed.row[s] ?? 0;
    for (let k = rowStart[r] ?? 0, end = rowStart[r + 1] ?? 0; k < end; k++) {
      if (column[k] === seed.column[s]) {
        if (k >= (rowStart[r] ?? 0) + (length[r] ?? 0)) addExtra(r, k);
        break;
      }
    }
  }
  for (let rounds = 1; ; rounds++) {
    const start = new Int32Array(rows + 1);
    for (let r = 0; r < rows; r++)
      start[r + 1] = (start[r] ?? 0) + (length[r] ?? 0) + (extra.get(r)?.length ?? 0);
    const graphColumn = new Int32Array(start[rows] ?? 0);
    const graphCost = new Int32Array(start[rows] ?? 0);
    for (let r = 0; r < rows; r++) {
      let at = start[r] ?? 0;
      const from = rowStart[r] ?? 0;
      for (let k = from; k < from + (length[r] ?? 0); k++) {
        graphColumn[at] = column[k] ?? 0;
        graphCost[at++] = cost[k] ?? 0;
      }
      for (const k of (extra.get(r) ?? []).sort((a, b) => a - b)) {
        graphColumn[at] = column[k] ?? 0;
        graphCost[at++] = cost[k] ?? 0;
      }
    }
    const shipped = ship({ rowStart: start, column: graphColumn, cost: graphCost, supply, capacity });
    if (!shipped) return undefined;
    const { pot } = shipped;
    let widened = false;
    for (let r = 0; r < rows; r++) {
      const pr = pot[r] ?? 0;
      const outside = extra.get(r) ?? [];
      let lastFailed = -1;
      for (let k = (rowStart[r] ?? 0) + (length[r] ?? 0), end = rowStart[r + 1] ?? 0; k < end; k++) {
        if ((cost[k] ?? 0) + pr >= 0) break;
        const c = column[k] ?? 0;
        if ((capacity[c] ?? 0) <= 0 || outside.includes(k)) continue;
        if ((cost[k] ?? 0) + pr - (pot[rows + c] ?? 0) < 0) lastFailed = k;
      }
      if (lastFailed >= 0) {
        widened = true;
        const from = rowStart[r] ?? 0;
        const step = perRow * Math.max(1, supply[r] ?? 0);
        const grown = Math.min(
          Math.max((length[r] ?? 0) + step, lastFailed + 1 - from + perRow),
          (rowStart[r + 1] ?? 0) - from,
        );
        length[r] = grown;
        const kept = (extra.get(r) ?? []).filter((k) => k >= from + grown);
        extra.set(r, kept);
      }
    }
    if (!widened) return { ...shipped, rounds, candidateArcs: graphColumn.length };
  }
}

/** The shortest-path solve on the arcs given, all of them. */
function ship(transport: Transport): Shipment | undefined {
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

  // Start: each row's cheapest arcs are tight; it takes the columns with room they reach.
  for (let r = 0; r < rows; r++) {
    let cheapest = Number.POSITIVE_INFINITY;
    for (let k = rowStart[r] ?? 0, end = rowStart[r + 1] ?? 0; k < end; k++) {
      cheapest = Math.min(cheapest, cost[k] ?? 0);
    }
    if ((left[r] ?? 0) > 0 && cheapest === Number.POSITIVE_INFINITY) return undefined;
    pot[r] = cheapest === Number.POSITIVE_INFINITY ? 0 : -cheapest;
    for (let k = rowStart[r] ?? 0, end = rowStart[r + 1] ?? 0; k < end && (left[r] ?? 0) > 0; k++) {
      const c = column[k] ?? 0;
      if ((cost[k] ?? 0) === cheapest && room(c) && !takes(c, r)) {
        take(c, r, cost[k] ?? 0);
        left[r] = (left[r] ?? 0) - 1;
      }
    }
  }

  // Dijkstra state, reset by stamps.
  const dist = new Float64Array(nodes);
  const reachedAt = new Int32Array(nodes);
  const settledAt = new Int32Array(nodes);
  const settled = new Int32Array(nodes);
  /** A column's parent row and the arc's cost; a row's parent column and the slot it leaves. */
  const parent = new Int32Array(nodes);
  const parentCost = new Int32Array(nodes);
  let heapNode = new Int32Array(1024);
  let heapKey = new Float64Array(1024);
  let heapSize = 0;
  const push = (node: number, key: number) => {
    if (heapSize === heapNode.length) {
      const nodesBigger = new Int32Array(heapSize * 2);
      nodesBigger.set(heapNode);
      heapNode = nodesBigger;
      const keysBigger = new Float64Array(heapSize * 2);
      keysBigger.set(heapKey);
      heapKey = keysBigger;
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
  const pop = () => {
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

  let stamp = 0;
  for (let s = 0; s < rows; s++) {
    while ((left[s] ?? 0) > 0) {
      stamp++;
      heapSize = 0;
      let count = 0;
      const relax = (v: number, d: number, from: number, extra: number) => {
        if (settledAt[v] === stamp) return;
        if (reachedAt[v] === stamp && d >= (dist[v] ?? 0)) return;
        reachedAt[v] = stamp;
        dist[v] = d;
        parent[v] = from;
        parentCost[v] = extra;
        push(v, d);
      };
      reachedAt[s] = stamp;
      dist[s] = 0;
      push(s, 0);
      let found = false;
      while (heapSize > 0) {
        const heapTop = heapKey[0] ?? 0;
        const u = pop();
        if (settledAt[u] === stamp || heapTop > (dist[u] ?? 0)) continue;
        settledAt[u] = stamp;
        settled[count++] = u;
        if (u === t) {
          found = true;
          break;
        }
        const du = dist[u] ?? 0;
        const pu = pot[u] ?? 0;
        if (u < rows) {
          for (let k = rowStart[u] ?? 0, end = rowStart[u + 1] ?? 0; k < end; k++) {
            // Arcs come cheapest first and no column's potential is above 0: once even that
            // bound cannot beat the sink's distance so far, no later arc can.
            const bound = du + (cost[k] ?? 0) + pu;
            if (reachedAt[t] === stamp && bound >= (dist[t] ?? 0)) break;
            const c = column[k] ?? 0;
            const v = rows + c;
            if (settledAt[v] === stamp || (capacity[c] ?? 0) <= 0) continue;
            const d = bound - (pot[v] ?? 0);
            if (reachedAt[v] === stamp && d >= (dist[v] ?? 0)) continue;
            if (reachedAt[t] === stamp && d >= (dist[t] ?? 0)) continue;
            if (takes(c, u)) continue;
            relax(v, d, u, cost[k] ?? 0);
          }
        } else {
          const c = u - rows;
          if (room(c)) relax(t, du + pu - (pot[t] ?? 0), u, 0);
          for (let q = columnStart[c] ?? 0, end = q + (load[c] ?? 0); q < end; q++) {
            const r = columnRow[q] ?? 0;
            relax(r, du - (columnCost[q] ?? 0) + pu - (pot[r] ?? 0), u, q);
          }
        }
      }
      if (!found) return undefined;
      const far = dist[t] ?? 0;
      for (let x = 0; x < count; x++) {
        const v = settled[x] ?? 0;
        pot[v] = (pot[v] ?? 0) + (dist[v] ?? 0) - far;
      }
      // Along the path back from the sink: each row moves into the slot of the column before it.
      let c = (parent[t] ?? 0) - rows;
      let q = (columnStart[c] ?? 0) + (load[c] ?? 0);
      load[c] = (load[c] ?? 0) + 1;
      for (;;) {
        const r = parent[rows + c] ?? 0;
        const arcCost = parentCost[rows + c] ?? 0;
        columnRow[q] = r;
        columnCost[q] = arcCost;
        if (r === s) break;
        const from = (parent[r] ?? 0) - rows;
        q = parentCost[r] ?? 0;
        c = from;
      }
      left[s] = (left[s] ?? 0) - 1;
    }
  }
  return { columnStart, columnRow, load, pot };
}

/**
 * Orders each row's arcs by cost, cheapest first (ties: column order), in place: the caller's
 * `column` and `cost` arrays are reordered, so no copy of the arcs is made.
 */
function cheapestFirst({ rowStart, column, cost }: Transport): {
  column: Int32Array | Uint16Array;
  cost: Int32Array;
} {
  let widest = 0;
  for (let r = 0; r + 1 < rowStart.length; r++)
    widest = Math.max(widest, (rowStart[r + 1] ?? 0) - (rowStart[r] ?? 0));
  const keys = new Float64Array(widest);
  for (let r = 0; r + 1 < rowStart.length; r++) {
    const from = rowStart[r] ?? 0;
    const size = (rowStart[r + 1] ?? 0) - from;
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
