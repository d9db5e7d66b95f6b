import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type GroupTransport, provesOptimal, shipGroups } from '../../shared/matching/group-transport.ts';

/**
 * Small transportation problems: 1–3 rows of 0–3 units, 1–3 columns of 0–3 places, any arcs,
 * two of a row to the same column at times, some of them limited to 0–2 units (the bonus of
 * mentees who name a mentor of their own, beside their group's arc to that mentor), and up to
 * two feeders, a unit each with arcs of its own or the way through a row (mentees who name
 * several mentors).
 */
const transports = fc
  .record({
    columns: fc.integer({ min: 1, max: 3 }),
    rows: fc.array(
      fc.record({
        supply: fc.integer({ min: 0, max: 3 }),
        arcs: fc.array(
          fc.tuple(fc.nat(2), fc.integer({ min: 0, max: 20 }), fc.option(fc.integer({ min: 0, max: 2 }))),
          { maxLength: 4 },
        ),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    capacity: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 3, maxLength: 3 }),
    exitCost: fc.integer({ min: 0, max: 30 }),
    feeders: fc.array(
      fc.record({
        row: fc.nat(),
        arcs: fc.array(fc.tuple(fc.nat(2), fc.integer({ min: 0, max: 20 })), { maxLength: 2 }),
      }),
      { maxLength: 2 },
    ),
  })
  .map(({ columns, rows, capacity, exitCost, feeders }): GroupTransport => {
    const arcs = rows.map((row) => row.arcs.map(([c, cost, limit]) => ({ c: c % columns, cost, limit })));
    const rowStart = new Int32Array(rows.length + 1);
    arcs.forEach((row, r) => {
      rowStart[r + 1] = (rowStart[r] ?? 0) + row.length;
    });
    const limited = arcs.flat().some((arc) => arc.limit !== null);
    return {
      rowStart,
      column: Int32Array.from(arcs.flat(), (arc) => arc.c),
      cost: Float64Array.from(arcs.flat(), (arc) => arc.cost),
      supply: Int32Array.from(rows, (row) => row.supply),
      capacity: Int32Array.from(capacity.slice(0, columns)),
      ...(limited ? { arcLimit: Int32Array.from(arcs.flat(), (arc) => arc.limit ?? 3) } : {}),
      exitCost,
      ...(feeders.length > 0
        ? {
            feeders: {
              row: Int32Array.from(feeders, (f) => f.row % rows.length),
              start: Int32Array.from(
                [0, ...feeders.map((f) => f.arcs.length)].map((_, k, all) =>
                  all.slice(0, k + 1).reduce((a, b) => a + b, 0),
                ),
              ),
              column: Int32Array.from(feeders.flatMap((f) => f.arcs.map(([c]) => c % columns))),
              cost: Float64Array.from(feeders.flatMap((f) => f.arcs.map(([, cost]) => cost))),
            },
          }
        : {}),
    };
  });

interface Shipment {
  flow: Int32Array;
  exits: Int32Array;
  feederFlow: Int32Array;
  throughRow: Int32Array;
}

/**
 * Every way to ship: each feeder by one of its arcs or through its row, then each row's units
 * (its own, and the feeders' through it) split among its arcs and its exit, within the places.
 */
function everyShipment(t: GroupTransport): Shipment[] {
  const rows = t.supply.length;
  const feeders = t.feeders ?? {
    row: new Int32Array(0),
    start: Int32Array.of(0),
    column: new Int32Array(0),
    cost: new Float64Array(0),
  };
  const load = new Int32Array(t.capacity.length);
  const flow = new Int32Array(t.column.length);
  const exits = new Int32Array(rows);
  const feederFlow = new Int32Array(feeders.column.length);
  const throughRow = new Int32Array(feeders.row.length);
  const all: Shipment[] = [];
  const visit = (r: number) => {
    if (r === rows) {
      all.push({
        flow: flow.slice(),
        exits: exits.slice(),
        feederFlow: feederFlow.slice(),
        throughRow: throughRow.slice(),
      });
      return;
    }
    const from = t.rowStart[r] ?? 0;
    const to = t.rowStart[r + 1] ?? 0;
    const split = (k: number, left: number) => {
      if (k === to) {
        exits[r] = left;
        return visit(r + 1);
      }
      const c = t.column[k] ?? 0;
      for (let units = 0; units <= Math.min(left, t.arcLimit?.[k] ?? left); units++) {
        if ((load[c] ?? 0) + units > (t.capacity[c] ?? 0)) break;
        load[c] = (load[c] ?? 0) + units;
        flow[k] = units;
        split(k + 1, left - units);
        load[c] = (load[c] ?? 0) - units;
      }
      flow[k] = 0;
    };
    let through = 0;
    throughRow.forEach((units, f) => {
      if (feeders.row[f] === r) through += units;
    });
    split(from, (t.supply[r] ?? 0) + through);
  };
  const feed = (f: number) => {
    if (f === feeders.row.length) return visit(0);
    throughRow[f] = 1;
    feed(f + 1);
    throughRow[f] = 0;
    for (let k = feeders.start[f] ?? 0; k < (feeders.start[f + 1] ?? 0); k++) {
      const c = feeders.column[k] ?? 0;
      if ((load[c] ?? 0) >= (t.capacity[c] ?? 0)) continue;
      load[c] = (load[c] ?? 0) + 1;
      feederFlow[k] = 1;
      feed(f + 1);
      feederFlow[k] = 0;
      load[c] = (load[c] ?? 0) - 1;
    }
  };
  feed(0);
  return all;
}

const totalCost = (t: GroupTransport, shipment: Shipment) =>
  shipment.flow.reduce((sum, units, k) => sum + units * (t.cost[k] ?? 0), 0) +
  shipment.exits.reduce((sum, units) => sum + units * t.exitCost, 0) +
  shipment.feederFlow.reduce((sum, units, k) => sum + units * (t.feeders?.cost[k] ?? 0), 0);

describe('groups shipped to each other by shortest paths', () => {
  it('ship every unit within the places at the least total cost, and prove it, and nothing costlier', () => {
    fc.assert(
      fc.property(transports, (t) => {
        const shipped = shipGroups(t, 1000);
        if (!shipped) throw new Error('no shipment');
        const { flow, exits, feederFlow, throughRow } = shipped;
        const feeders = t.feeders;
        t.supply.forEach((units, r) => {
          let sent = exits[r] ?? 0;
          for (let k = t.rowStart[r] ?? 0; k < (t.rowStart[r + 1] ?? 0); k++) sent += flow[k] ?? 0;
          let through = 0;
          throughRow.forEach((unit, f) => {
            if (feeders?.row[f] === r) through += unit;
          });
          expect(sent).toBe(units + through);
        });
        throughRow.forEach((unit, f) => {
          let sent = unit;
          for (let k = feeders?.start[f] ?? 0; k < (feeders?.start[f + 1] ?? 0); k++)
            sent += feederFlow[k] ?? 0;
          expect(sent).toBe(1);
        });
        const load = new Int32Array(t.capacity.length);
        flow.forEach((units, k) => {
          expect(units).toBeGreaterThanOrEqual(0);
          expect(units).toBeLessThanOrEqual(t.arcLimit?.[k] ?? units);
          load[t.column[k] ?? 0] = (load[t.column[k] ?? 0] ?? 0) + units;
        });
        feederFlow.forEach((unit, k) => {
          load[feeders?.column[k] ?? 0] = (load[feeders?.column[k] ?? 0] ?? 0) + unit;
        });
        load.forEach((units, c) => {
          expect(units).toBeLessThanOrEqual(t.capacity[c] ?? 0);
        });
        const all = everyShipment(t);
        const least = Math.min(...all.map((other) => totalCost(t, other)));
        expect(totalCost(t, shipped)).toBe(least);
        expect(provesOptimal(t, shipped)).toBe(true);
        // The same potentials prove no costlier shipment optimal.
        for (const other of all) {
          if (totalCost(t, other) > least) {
            expect(provesOptimal(t, { ...shipped, ...other })).toBe(false);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('refuse to call a costlier shipment optimal', () => {
    // One row of two units, a column of two places at cost 1: shipped by exit (cost 5) instead.
    const t: GroupTransport = {
      rowStart: Int32Array.of(0, 1),
      column: Int32Array.of(0),
      cost: Float64Array.of(1),
      supply: Int32Array.of(2),
      capacity: Int32Array.of(2),
      exitCost: 5,
    };
    const shipped = shipGroups(t, 10);
    expect(shipped?.flow).toEqual(Int32Array.of(2));
    if (!shipped) return;
    expect(provesOptimal(t, { ...shipped, flow: Int32Array.of(1), exits: Int32Array.of(1) })).toBe(false);
  });

  it("refuse a feeder's own arc where the way through its row is cheaper", () => {
    // A row of no units whose arc costs 1, a feeder whose own arc costs 5: shipped by its own
    // arc, with potentials that hold on every other arc and place.
    const t: GroupTransport = {
      rowStart: Int32Array.of(0, 1),
      column: Int32Array.of(0),
      cost: Float64Array.of(1),
      supply: Int32Array.of(0),
      capacity: Int32Array.of(1, 1),
      exitCost: 10,
      feeders: {
        row: Int32Array.of(0),
        start: Int32Array.of(0, 1),
        column: Int32Array.of(1),
        cost: Float64Array.of(5),
      },
    };
    const costlier = {
      flow: Int32Array.of(0),
      exits: Int32Array.of(0),
      feederFlow: Int32Array.of(1),
      throughRow: Int32Array.of(0),
      searches: 1,
      pot: Float64Array.of(0, 0, 0, 0, -5),
    };
    expect(provesOptimal(t, costlier)).toBe(false);
    expect(shipGroups(t, 10)?.throughRow).toEqual(Int32Array.of(1));
  });

  it('take every way to the sink at the least cost after one search', () => {
    // Three rows of one unit, each with a column of its own at cost 1: one search, three paths.
    const t: GroupTransport = {
      rowStart: Int32Array.of(0, 1, 2, 3),
      column: Int32Array.of(0, 1, 2),
      cost: Float64Array.of(1, 1, 1),
      supply: Int32Array.of(1, 1, 1),
      capacity: Int32Array.of(1, 1, 1),
      exitCost: 10,
    };
    expect(shipGroups(t, 1)?.flow).toEqual(Int32Array.of(1, 1, 1));
  });

  it('give up past the searches allowed', () => {
    const t: GroupTransport = {
      rowStart: Int32Array.of(0, 1, 2),
      column: Int32Array.of(0, 0),
      cost: Float64Array.of(3, 1),
      supply: Int32Array.of(1, 1),
      capacity: Int32Array.of(1),
      exitCost: 10,
    };
    expect(shipGroups(t, 1)).toBeUndefined();
    expect(shipGroups(t, 2)?.exits).toEqual(Int32Array.of(1, 0));
  });
});
