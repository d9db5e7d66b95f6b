/**
 * Work cut into claims that threads take in turn from a shared cursor: items `from` to `to` of
 * claim c are `c × size` to `(c + 1) × size` (the last one short). Whoever is free takes the
 * next claim, so threads finish together however the work is spread over the items.
 */

/** A cursor for `takeInTurns`, in shared memory: its claims start from the first. */
export function sharedCursor(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

/**
 * Takes claims of `size` of the `total` items from `cursor` (its first slot), handing each
 * (first item, end, claim number) to `each`, until none is left or `each` returns false.
 * Without a cursor, this thread takes every item as one claim.
 */
export function takeInTurns(
  cursor: Int32Array | undefined,
  total: number,
  size: number,
  each: (from: number, to: number, claim: number) => boolean,
): void {
  if (!cursor) {
    if (total > 0) each(0, total, 0);
    return;
  }
  for (let c = Atomics.add(cursor, 0, 1); c * size < total; c = Atomics.add(cursor, 0, 1)) {
    if (!each(c * size, Math.min(total, (c + 1) * size), c)) return;
  }
}
