import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LeastKeys } from '../../shared/matching/least-keys.ts';

/** The oracle: a stable sort by key, cut at the limit, back in the order offered. */
function leastByStableSort(keys: number[], limit: number): number[] {
  return keys
    .map((key, item) => ({ key, item }))
    .sort((a, b) => a.key - b.key)
    .slice(0, limit)
    .map(({ item }) => item)
    .sort((a, b) => a - b);
}

/** Offers each key that passes the bar, as the scans do (its place the item), and drains what is kept. */
function keptOf(least: LeastKeys, keys: readonly number[]): number[] {
  keys.forEach((key, item) => {
    if (key < least.bar) least.offer(key, item);
  });
  const kept: number[] = [];
  least.drainInto(kept);
  return kept;
}

describe('LeastKeys', () => {
  // Small and large capacities, offers up to several times the capacity.
  it.each([3, 64, 300])(
    'keeps the items of least key, ties to the earlier offered, in the order offered (capacity %i)',
    (capacity) => {
      fc.assert(
        fc.property(
          // Few distinct keys, so that ties are common.
          fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 4 * capacity + 60 }),
          fc.integer({ min: 0, max: capacity + 10 }),
          (keys, limit) => {
            const least = new LeastKeys(capacity, 4 * capacity + 60);
            least.reset(limit, -5, 5);
            keys.forEach((key, item) => {
              if (key < least.bar) least.offer(key, item);
            });
            // Drained items go after what the list held.
            const kept = [-1];
            least.drainInto(kept);
            expect(kept).toEqual([-1, ...leastByStableSort(keys, Math.min(limit, capacity))]);
          },
        ),
      );
    },
  );

  // Ranges wider than the histogram (many keys a bucket), fractional keys, keys at both ends of
  // the range, a bound: what a scan of a row offers, reset after reset.
  it('keeps the same items over ranges of any width, and under any bound', () => {
    const key = fc.oneof(
      fc.integer({ min: -3, max: 3 }),
      fc.integer({ min: -1_000_000, max: 1_000_000 }),
      fc.double({ min: -1_000, max: 1_000, noNaN: true }),
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            keys: fc.array(key, { maxLength: 200 }),
            limit: fc.integer({ min: 0, max: 60 }),
            below: fc.oneof(fc.constant(Number.POSITIVE_INFINITY), key),
            sayWhole: fc.boolean(),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        (rows) => {
          const least = new LeastKeys(50, 200);
          for (const { keys, limit, below, sayWhole } of rows) {
            const low = Math.min(0, ...keys);
            const high = Math.max(0, ...keys);
            least.reset(limit, low, high, below, sayWhole && keys.every(Number.isInteger));
            const kept = keptOf(least, keys);
            const admitted = keys.map((key) => (key < below ? key : Number.POSITIVE_INFINITY));
            const expected = leastByStableSort(admitted, Math.min(limit, 50)).filter(
              (item) => (keys[item] ?? 0) < below,
            );
            expect(kept).toEqual(expected);
          }
        },
      ),
    );
  });

  it('bars a key equal to the cut once the limit is in, when the keys are whole numbers', () => {
    const least = new LeastKeys(3, 10);
    least.reset(2, 0, 10, Number.POSITIVE_INFINITY, true);
    least.offer(4, 40);
    least.offer(2, 20);
    expect(least.bar).toBe(4);
    least.offer(2, 21);
    expect(least.bar).toBe(2);
    // Not whole (or not said to be): the bar stays above the cut's bucket.
    least.reset(2, 0, 10);
    least.offer(4, 40);
    least.offer(2, 20);
    expect(least.bar).toBe(5);
  });

  it('counts afresh after a reset that came before the drain', () => {
    const least = new LeastKeys(3, 10);
    least.reset(2, 0, 10, Number.POSITIVE_INFINITY, true);
    for (const item of [10, 11, 12]) least.offer(2, item);
    least.reset(2, 0, 10, Number.POSITIVE_INFINITY, true);
    expect(keptOf(least, [9, 7, 1, 1])).toEqual([2, 3]);
  });

  it('keeps the least items when the range of keys is not finite (no mentor to bound it)', () => {
    const least = new LeastKeys(3, 10);
    least.reset(2, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
    expect(keptOf(least, [7, -2, 5, -2, 9])).toEqual([1, 3]);
  });

  it('starts afresh on reset or once drained, and ignores offers it does not admit', () => {
    const least = new LeastKeys(3, 10);
    least.reset(2, 0, 10);
    for (const [key, item] of [
      [3, 30],
      [1, 10],
      [2, 20],
      [1, 11],
    ] as const)
      least.offer(key, item);
    const first: number[] = [];
    least.drainInto(first);
    expect(first).toEqual([10, 11]);
    // Drained, it keeps its limit and takes offers again.
    least.offer(5, 50);
    least.offer(4, 40);
    least.offer(6, 60);
    const again: number[] = [];
    least.drainInto(again);
    expect(again).toEqual([50, 40]);
    least.reset(3, 0, 10);
    least.offer(7, 70);
    expect(100 < least.bar).toBe(true);
    const second: number[] = [];
    least.drainInto(second);
    expect(second).toEqual([70]);
    // Reset with a bound, it admits only keys under it, however few it keeps.
    least.reset(3, -1, 9, 5);
    for (const [key, item] of [
      [5, 50],
      [4, 40],
      [9, 90],
      [-1, 10],
    ] as const)
      if (key < least.bar) least.offer(key, item);
    const under: number[] = [];
    least.drainInto(under);
    expect(under).toEqual([40, 10]);
  });
});
