import { describe, expect, it } from 'vitest';
import { resized, typedArray } from '../../shared/matching/typed-arrays.ts';

describe('a typed array resized', () => {
  it('keeps its items when it grows, the new room zero, in the same type', () => {
    const bigger = resized(Int32Array.of(4, -2, 9), 5);
    expect(bigger).toBeInstanceOf(Int32Array);
    expect([...bigger]).toEqual([4, -2, 9, 0, 0]);
  });

  it('keeps its first items when it is cut', () => {
    const cut = resized(Uint16Array.of(7, 8, 9, 10), 2);
    expect(cut).toBeInstanceOf(Uint16Array);
    expect([...cut]).toEqual([7, 8]);
    expect([...resized(Float64Array.of(0.5, 1.5), 0)]).toEqual([]);
  });

  it('gives back the old array at once: it is left empty (its buffer detached)', () => {
    const old = Float64Array.of(1, 2, 3);
    resized(old, 6);
    expect(old.length).toBe(0);
    expect(old.buffer.detached).toBe(true);
  });
});

describe('a typed array in shared memory', () => {
  it('is made zeroed, in shared memory, and grows by a copy that keeps its items', () => {
    const made = typedArray(Int32Array, 3, true);
    expect(made.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect([...made]).toEqual([0, 0, 0]);
    made.set([5, -1, 7]);
    const grown = resized(made, 5);
    expect(grown).toBeInstanceOf(Int32Array);
    expect(grown.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect([...grown]).toEqual([5, -1, 7, 0, 0]);
    const cut = typedArray(Uint16Array, 3, true);
    cut.set([1, 2, 3]);
    expect([...resized(cut, 2)]).toEqual([1, 2]);
  });

  it('is made in ordinary memory when not asked to share', () => {
    const made = typedArray(Uint16Array, 2, false);
    expect(made.buffer).toBeInstanceOf(ArrayBuffer);
    expect([...made]).toEqual([0, 0]);
  });
});
