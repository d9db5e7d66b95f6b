import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  insertionRunLimit,
  shipFromScarceSide,
  type Transport,
} from '../../shared/matching/shortest-paths.ts';
import { gappyMatrix, sparseRows } from '../support/sparse-rows.ts';

/**
 * The scarce-side solver on its own, on small transportation problems: each row ships all its
 * supply, one unit per arc, to columns of limited capacity. Checked against the definition of
 * optimality (no residual arc of negative reduced cost under the potentials it returns) and a
 * brute force over every way to ship, so neither check depends on how the solver works.
 */
const transport = fc
  .record({
    rows: fc.integer({ min: 1, max: 4 }),
    columns: fc.integer({ min: 1, max: 4 }),
    ties: fc.boolean(),
  })
  .chain(({ rows, columns, ties }) =>
    fc.record({
      supply: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: rows, maxLength: rows }),
      capacity: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: columns, maxLength: columns }),
      costs: gappyMatrix(
        rows,
        columns,
        ties ? fc.constantFrom(0, 5, 10) : fc.integer({ min: 0, max: 30 }),
        3,
      ),
      bucketCount: fc.constantFrom(2, 4096),
    }),
  );

type Problem = { supply: number[]; capacity: number[]; costs: (number | null)[][]; bucketCount?: number };

function toTransport({ supply, capacity, costs }: Problem): Transport {
  const { rowStart, column, value } = sparseRows(costs);
  return {
    rowStart,
    column,
    cost: Uint16Array.from(value),
    supply: Int32Array.from(supply),
    capacity: Int32Array.from(capacity),
  };
}

/** The least total cost of shipping everything, by trying every set of arcs; undefined: impossible. */
function bruteForce({ supply, capacity, costs }: Problem): number | undefined {
  const arcs: [number, number, number][] = [];
  costs.forEach((row, r) => {
    row.forEach((c, col) => {
      if (c !== null) arcs.push([r, col, c]);
    });
  });
  let best: number | undefined;
  for (let set = 0; set < 1 << arcs.length; set++) {
    const shipped = supply.map(() => 0);
    const load = capacity.map(() => 0);
    let total = 0;
    arcs.forEach(([r, col, c], k) => {
      if (set & (1 << k)) {
        shipped[r] = (shipped[r] ?? 0) + 1;
        load[col] = (load[col] ?? 0) + 1;
        total += c;
      }
    });
    const fits =
      shipped.every((units, r) => units === supply[r]) &&
      load.every((units, col) => units <= (capacity[col] ?? 0));
    if (fits && (best === undefined || total < best)) best = total;
  }
  return best;
}

/**
 * Checks that `shipped` ships every row's supply within the capacities, over arcs that exist,
 * and that its potentials prove it optimal; returns its total cost.
 */
function provenTotal(problem: Problem, shipped: NonNullable<ReturnType<typeof shipFromScarceSide>>): number {
  const rows = problem.supply.length;
  const columns = problem.capacity.length;
  const sink = rows + columns;
  const { pot, load, columnStart, columnRow } = shipped;
  const taken = new Set<string>();
  const shippedBy = problem.supply.map(() => 0);
  let total = 0;
  for (let col = 0; col < columns; col++) {
    expect(load[col] ?? 0).toBeLessThanOrEqual(problem.capacity[col] ?? 0);
    for (let q = columnStart[col] ?? 0; q < (columnStart[col] ?? 0) + (load[col] ?? 0); q++) {
      const r = columnRow[q] ?? 0;
      const c = problem.costs[r]?.[col];
      expect(c ?? null).not.toBeNull();
      expect(taken.has(`${r}:${col}`)).toBe(false);
      taken.add(`${r}:${col}`);
      shippedBy[r] = (shippedBy[r] ?? 0) + 1;
      total += c ?? 0;
      // The reverse arc of a used one.
      expect(-(c ?? 0) + (pot[rows + col] ?? 0) - (pot[r] ?? 0)).toBeGreaterThanOrEqual(0);
    }
    const full = (load[col] ?? 0) >= (problem.capacity[col] ?? 0);
    if (!full) expect((pot[rows + col] ?? 0) - (pot[sink] ?? 0)).toBeGreaterThanOrEqual(0);
    if ((load[col] ?? 0) > 0) expect((pot[sink] ?? 0) - (pot[rows + col] ?? 0)).toBeGreaterThanOrEqual(0);
  }
  expect(shippedBy).toEqual(problem.supply);
  problem.costs.forEach((row, r) => {
    row.forEach((c, col) => {
      if (c === null || taken.has(`${r}:${col}`) || (problem.capacity[col] ?? 0) <= 0) return;
      expect(c + (pot[r] ?? 0) - (pot[rows + col] ?? 0)).toBeGreaterThanOrEqual(0);
    });
  });
  return total;
}

/** An arc of a row as `rowsReordered` orders them, with a random draw to order by. */
interface DrawnArc {
  column: number;
  cost: number;
  draw: number;
}

/** `given` with each row's arcs put in the order `before` gives them, each arc drawn a number from `draws`. */
function rowsReordered(
  given: Transport,
  draws: Iterable<number>,
  before: (a: DrawnArc, b: DrawnArc) => number,
): Transport {
  const reordered = { ...given, column: given.column.slice(), cost: given.cost.slice() };
  const order = draws[Symbol.iterator]();
  for (let r = 0; r + 1 < given.rowStart.length; r++) {
    const from = given.rowStart[r] ?? 0;
    const arcs = Array.from({ length: (given.rowStart[r + 1] ?? 0) - from }, (_, x) => ({
      column: given.column[from + x] ?? 0,
      cost: given.cost[from + x] ?? 0,
      draw: order.next().value as number,
    }));
    arcs.sort(before);
    arcs.forEach((arc, x) => {
      reordered.column[from + x] = arc.column;
      reordered.cost[from + x] = arc.cost;
    });
  }
  return reordered;
}

/** Both solves shipped, the same units to the same columns at the same potentials, or neither. */
function expectSameShipment(
  shipped: ReturnType<typeof shipFromScarceSide>,
  expected: ReturnType<typeof shipFromScarceSide>,
): void {
  expect(shipped === undefined).toBe(expected === undefined);
  if (!shipped || !expected) return;
  expect(Array.from(shipped.columnRow)).toEqual(Array.from(expected.columnRow));
  expect(Array.from(shipped.pot)).toEqual(Array.from(expected.pot));
}

/** Problems too large for brute force: up to 14 rows and columns, costs up to 80. */
const middleSized = fc
  .record({ rows: fc.integer({ min: 3, max: 14 }), columns: fc.integer({ min: 3, max: 14 }) })
  .chain(({ rows, columns }) =>
    fc.record({
      supply: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: rows, maxLength: rows }),
      capacity: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: columns, maxLength: columns }),
      costs: gappyMatrix(rows, columns, fc.integer({ min: 0, max: 80 }), 4),
    }),
  );

describe('shipping from the scarce side', () => {
  it('ships everything at the least cost, proven by its potentials, or says it cannot', () => {
    fc.assert(
      fc.property(transport, (problem) => {
        const optimum = bruteForce(problem);
        // The queue's default buckets, and two: then most keys overflow into its heap and come back.
        const shipped = shipFromScarceSide(toTransport(problem), { bucketCount: problem.bucketCount });
        // Re-sorting the rows before every search: the bound it reads by then uses potentials.
        const resorted = shipFromScarceSide(toTransport(problem), { resortEvery: 0 });
        if (optimum === undefined) {
          expect(shipped).toBeUndefined();
          expect(resorted).toBeUndefined();
          return;
        }
        expect(shipped).toBeDefined();
        if (shipped) expect(provenTotal(problem, shipped)).toBe(optimum);
        expect(resorted).toBeDefined();
        if (resorted) expect(provenTotal(problem, resorted)).toBe(optimum);
      }),
      { numRuns: 1500 },
    );
  });

  it('gives the same proven optimum whether its queue keeps distances in buckets or in its heap, and however often it re-sorts', () => {
    fc.assert(
      fc.property(middleSized, (problem) => {
        const buckets = shipFromScarceSide(toTransport(problem));
        const overflowing = shipFromScarceSide(toTransport(problem), { bucketCount: 2 });
        const resorted = shipFromScarceSide(toTransport(problem), { resortEvery: 0, bucketCount: 2 });
        expect(overflowing === undefined).toBe(buckets === undefined);
        expect(resorted === undefined).toBe(buckets === undefined);
        if (!buckets || !overflowing || !resorted) return;
        expect(provenTotal(problem, overflowing)).toBe(provenTotal(problem, buckets));
        expect(provenTotal(problem, resorted)).toBe(provenTotal(problem, buckets));
        // Every arc read is counted once, re-sorted or not, and the arcs shipped on were read.
        const shippedUnits = problem.supply.reduce((sum, units) => sum + units, 0);
        for (const solved of [buckets, resorted]) {
          expect(solved.candidateArcs).toBeLessThanOrEqual(toTransport(problem).column.length);
          expect(solved.candidateArcs).toBeGreaterThanOrEqual(shippedUnits);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('reads each row cheapest first however its arcs come: in column order or not, costs close together or far apart', () => {
    fc.assert(
      fc.property(middleSized, fc.infiniteStream(fc.nat()), (problem, draws) => {
        const inOrder = shipFromScarceSide(toTransport(problem));
        // Each row's arcs shuffled: sorted by comparison rather than by counting.
        const shuffled = rowsReordered(toTransport(problem), draws, (a, b) => a.draw - b.draw);
        expectSameShipment(shipFromScarceSide(shuffled), inOrder);
        if (!inOrder) return;
        // Costs a hundred times apart: too wide a span to count, at the start or on a re-sort
        // (before every search here); and 800 times, up to 64,000, near the top of the cost's
        // 16 bits, where a re-sort's bounds would not fit and it is skipped. The optimum scales
        // with them.
        for (const factor of [100, 800]) {
          const spread = {
            ...problem,
            costs: problem.costs.map((row) => row.map((c) => (c === null ? null : factor * c))),
          };
          const wide = shipFromScarceSide(toTransport(spread), { resortEvery: 0 });
          expect(wide).toBeDefined();
          if (wide) expect(provenTotal(spread, wide)).toBe(factor * provenTotal(problem, inOrder));
        }
      }),
      { numRuns: 300 },
    );
  });
  it('reads rows that come cheapest first with their equal costs in any column order as it reads them sorted', () => {
    // Rows as the score table gives them (best score first, equal scores in the order scoring
    // met the mentors), with runs of equal costs past `insertionRunLimit` too.
    const manyTies = fc
      .record({
        rows: fc.integer({ min: 1, max: 5 }),
        columns: fc.integer({ min: 2, max: 3 * insertionRunLimit }),
      })
      .chain(({ rows, columns }) =>
        fc.record({
          supply: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: rows, maxLength: rows }),
          capacity: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: columns, maxLength: columns }),
          costs: gappyMatrix(rows, columns, fc.constantFrom(0, 10), 8),
        }),
      );
    fc.assert(
      fc.property(manyTies, fc.infiniteStream(fc.nat()), (problem, draws) => {
        const sorted = shipFromScarceSide(toTransport(problem));
        const byCost = rowsReordered(
          toTransport(problem),
          draws,
          (a, b) => a.cost - b.cost || a.draw - b.draw,
        );
        const shipped = shipFromScarceSide(byCost);
        expectSameShipment(shipped, sorted);
        if (!sorted || !shipped) return;
        expect(provenTotal(problem, shipped)).toBe(provenTotal(problem, sorted));
      }),
      { numRuns: 200 },
    );
  });
  it('hands a one-place column from row to row by their margins before any search (the row reduction)', () => {
    // Row 0's cheapest arc goes to column 0 at the start; row 1 wants column 0 too, but would
    // lose only 1 elsewhere where row 0 would lose 5: the reduction moves row 0 back and forth
    // once and ends with row 1 in column 1, without a search.
    const problem = {
      supply: [1, 1],
      capacity: [1, 1],
      costs: [
        [0, 5],
        [0, 1],
      ],
    };
    const reduced = shipFromScarceSide(toTransport(problem));
    const searched = shipFromScarceSide(toTransport(problem), { reductionBids: 0 });
    expect(reduced?.searches).toBe(0);
    expect(searched?.searches).toBe(1);
    for (const shipped of [reduced, searched]) {
      expect(shipped).toBeDefined();
      if (shipped) expect(provenTotal(problem, shipped)).toBe(1);
    }
  });

  it('ships the same proven optimum with the row reduction as without, however long it may bid', () => {
    // One-unit rows and one-place columns, where the reduction hands columns on; equal costs
    // often, where it must leave rows to the searches.
    const assignment = fc
      .record({ rows: fc.integer({ min: 1, max: 7 }), columns: fc.integer({ min: 1, max: 9 }) })
      .chain(({ rows, columns }) =>
        fc.record({
          supply: fc.array(fc.constantFrom(0, 1, 1, 1, 2), { minLength: rows, maxLength: rows }),
          capacity: fc.array(fc.constantFrom(0, 1, 1, 1, 2), { minLength: columns, maxLength: columns }),
          costs: gappyMatrix(rows, columns, fc.integer({ min: 0, max: 12 }), 4),
          reductionBids: fc.constantFrom(1, 2, 50),
        }),
      );
    fc.assert(
      fc.property(assignment, ({ reductionBids, ...problem }) => {
        const searched = shipFromScarceSide(toTransport(problem), { reductionBids: 0 });
        const reduced = shipFromScarceSide(toTransport(problem), { reductionBids });
        expect(reduced === undefined).toBe(searched === undefined);
        if (!searched || !reduced) return;
        expect(reduced.searches).toBeLessThanOrEqual(searched.searches);
        expect(provenTotal(problem, reduced)).toBe(provenTotal(problem, searched));
      }),
      { numRuns: 500 },
    );
  });
});
