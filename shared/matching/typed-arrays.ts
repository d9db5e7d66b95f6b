/** A copy of `array` in a new array of the same type, `size` long (at least its length). */
export function grow<T extends Uint16Array | Int32Array | Float64Array>(array: T, size: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(size);
  bigger.set(array);
  return bigger;
}
