/**
 * `array`'s items in a new array of the same type, `size` long (longer or shorter: a shorter
 * one keeps the first `size` items). The old array's memory is given back at once (its buffer
 * is transferred, which detaches it) rather than at the next garbage collection: on a cohort
 * of 50,000 mentees the grown and cut arrays of scoring are hundreds of megabytes. Shared
 * memory cannot be transferred: a shared array is copied into a new shared one. For an array
 * that owns its whole buffer only, not a view into part of one (a `subarray`).
 */
export function resized<T extends Uint16Array | Int32Array | Float64Array>(array: T, size: number): T {
  if (array.buffer instanceof SharedArrayBuffer) {
    const grown = typedArray(array.constructor as ArrayType<T>, size, true);
    grown.set(array.subarray(0, Math.min(size, array.length)));
    return grown;
  }
  const buffer = (array.buffer as ArrayBuffer).transfer(size * array.BYTES_PER_ELEMENT);
  return new (array.constructor as new (buffer: ArrayBuffer) => T)(buffer);
}

type ArrayType<T> = {
  new (length: number): T;
  new (buffer: SharedArrayBuffer): T;
  BYTES_PER_ELEMENT: number;
};

/**
 * A typed array `length` long, in shared memory when `shared`, which other threads read without
 * a copy (the solver's helper thread reads the score table so). Its pages, shared or not, are
 * only taken up once written.
 */
export function typedArray<T>(Type: ArrayType<T>, length: number, shared: boolean): T {
  return shared ? new Type(new SharedArrayBuffer(length * Type.BYTES_PER_ELEMENT)) : new Type(length);
}

/** The memory under a typed array, to hand over with a message to another thread. */
export const bufferOf = (array: ArrayBufferView) => array.buffer as ArrayBuffer;

/** The memory of each typed array among `values`, to hand over with a message. */
export function buffersOf(values: readonly unknown[]): ArrayBuffer[] {
  return values.flatMap((value) => (ArrayBuffer.isView(value) ? [bufferOf(value)] : []));
}
