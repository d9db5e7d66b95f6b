import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MinHeap } from '../../shared/matching/min-heap.ts';

describe('MinHeap', () => {
  it('takes out the least key first, through pushes and pops interleaved and past its first size', () => {
    // Each step pushes a key (a number) or pops (null); the oracle is a list kept sorted.
    const steps = fc.array(fc.option(fc.integer({ min: -50, max: 50 }), { nil: null, freq: 3 }), {
      maxLength: 3000,
    });
    fc.assert(
      fc.property(steps, (ops) => {
        const heap = new MinHeap();
        const oracle: number[] = [];
        ops.forEach((key, node) => {
          if (key !== null) {
            heap.push(node, key);
            oracle.push(key);
            oracle.sort((a, b) => a - b);
          } else if (oracle.length > 0) {
            expect(heap.leastKey).toBe(oracle[0]);
            const least = oracle.shift();
            expect(ops[heap.pop()]).toBe(least);
          }
          expect(heap.size).toBe(oracle.length);
        });
      }),
      { numRuns: 50 },
    );
  });
});
