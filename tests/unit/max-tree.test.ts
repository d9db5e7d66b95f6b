import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MaxTree } from '../../shared/matching/max-tree.ts';

describe('a tree of maxima', () => {
  it('finds what a scan of the values finds: the largest, and the first index above a bound', () => {
    const step = fc.record({
      index: fc.nat(),
      // Few distinct values: ties, and −∞ as a value taken out.
      value: fc.constantFrom(Number.NEGATIVE_INFINITY, -3, 0, 0.5, 2, 7),
      bound: fc.constantFrom(Number.NEGATIVE_INFINITY, -5, -3, 0, 1, 7),
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), fc.array(step, { maxLength: 200 }), (size, steps) => {
        const tree = new MaxTree(size);
        const values = new Array<number>(size).fill(Number.NEGATIVE_INFINITY);
        for (const { index, value, bound } of steps) {
          tree.set(index % size, value);
          values[index % size] = value;
          expect(tree.max()).toBe(Math.max(...values));
          expect(tree.firstAbove(bound)).toBe(values.findIndex((v) => v > bound));
        }
      }),
    );
  });
});
