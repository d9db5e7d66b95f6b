/**
 * `array`'s items in a new array of the same type, `size` long (longer or shorter: a shorter
 * one keeps the first `size` items). The old array's memory is given back at once (its buffer
 * is transferred, which detaches it) rather than at the next garbage collection: on a cohort
 * of 50,000 mentees the grown and cut arrays of scoring are hundreds of megabytes. For an
 * array that owns its whole buffer only, not a view into part of one (a `subarray`).
 */
export function resized<T extends Uint16Array | Int32Array | Float64Array>(array: T, size: number): T {
  const buffer = (array.buffer as ArrayBuffer).transfer(size * array.BYTES_PER_ELEMENT);
  return new (array.constructor as new (buffer: ArrayBuffer) => T)(buffer);
}

type ArrayType<T> = { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number };

/**
 * A typed array `length` long in shared memory, which other threads read without a copy (the
 * solver's scan helper reads the score table so). Its pages, like an ordinary array's, are
 * only taken up once written.
 */
export function sharedArray<T>(Type: ArrayType<T>, length: number): T {
  return new Type(new SharedArrayBuffer(length * Type.BYTES_PER_ELEMENT));
}

/** `array`'s items (up to `size`) in a new shared array `size` long: shared memory cannot be transferred, so a copy. */
export function sharedResized<T extends Uint16Array | Int32Array>(array: T, size: number): T {
  const grown = sharedArray(array.constructor as ArrayType<T>, size);
  grown.set(array.subarray(0, Math.min(size, array.length)));
  return grown;
}

/** The memory under a typed array, to hand over with a message to another thread. */
export const bufferOf = (array: ArrayBufferView) => array.buffer as ArrayBuffer;

/** The memory of each typed array among `values`, to hand over with a message. */
export function buffersOf(values: readonly unknown[]): ArrayBuffer[] {
  return values.flatMap((value) => (ArrayBuffer.isView(value) ? [bufferOf(value)] : []));
}
