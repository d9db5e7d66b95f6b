/**
 * The solver's candidate lists: per mentee, entries (mentor × entryBase + score, row-scans.ts)
 * in a typed array grown as the widenings add to it. Typed arrays keep the entries off the
 * JavaScript heap: as plain arrays, millions of them outlived the young generation, which grew
 * to its largest to hold them while they were copied out (`bootcamp-one-to-one`: the heap's
 * committed size 106 → 175 MB as the first lists were made).
 */

/** Entries in a typed array: 32 bits each while every mentor's fit, as they do in a 16-bit table. */
export type EntryArray = Uint32Array | Float64Array;
export function entryArray(mentors: number, length: number): EntryArray {
  return mentors <= 0xffff ? new Uint32Array(length) : new Float64Array(length);
}

/** A list's entries as the scans read them: `items[0 .. length)`. */
export interface Entries {
  readonly items: ArrayLike<number>;
  readonly length: number;
}

/** Room a list starts with, unless told. */
const firstRoom = 8;

/** An empty list for a table of `mentors` mentors, with room for `room` entries. */
export const entryList = (mentors: number, room = firstRoom) => new EntryList(entryArray(mentors, room));

export class EntryList implements Entries {
  items: EntryArray;
  length: number;

  constructor(items: EntryArray, length = 0) {
    this.items = items;
    this.length = length;
  }

  push(entry: number): void {
    if (this.length === this.items.length) {
      const room = Math.max(firstRoom, 2 * this.length);
      const grown = this.items instanceof Uint32Array ? new Uint32Array(room) : new Float64Array(room);
      grown.set(this.items);
      this.items = grown;
    }
    this.items[this.length++] = entry;
  }

  /** Keeps only the entries `keep` accepts, in their order. */
  keepOnly(keep: (entry: number) => boolean): void {
    let kept = 0;
    for (let e = 0; e < this.length; e++) {
      const entry = this.items[e] ?? 0;
      if (keep(entry)) this.items[kept++] = entry;
    }
    this.length = kept;
  }

  /** A copy with no room past its entries. */
  copy(): EntryList {
    return new EntryList(this.items.slice(0, this.length), this.length);
  }

  /** The entries as a plain array (for tests and messages). */
  toArray(): number[] {
    return Array.from(this.items.subarray(0, this.length));
  }
}
