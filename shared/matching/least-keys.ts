/**
 * The `limit` items of least key among those offered, ties to the earlier offered, handed out
 * in the order they were offered. Every offer is kept, and counted in a histogram of the keys
 * (buckets over the range `reset` is told the keys lie in); once `limit` are in, the bucket
 * that holds the limit-th least key is followed down as offers land below it, and `bar` is that
 * bucket's upper edge (or the key itself, for whole keys in buckets of one), which the callers
 * test inline: most of a long row fails it. Draining resolves that one bucket exactly (a
 * selection among its keys) and hands out the rest in one pass. So an offer costs a few array
 * writes. Before, a selection of twice the limit every limit offers took three quarters of the
 * re-choice's scan of every pair (one place at 170%: 20 million pairs, about 350 ms on one
 * thread, 90 of them the scan alone); in `tandem match` the re-choice's widening now takes
 * 0.77–0.83 of its time (medians of 4, alternating).
 */
export class LeastKeys {
  private readonly keys: Float64Array;
  private readonly items: Float64Array;
  /** The keys of the cut bucket, for the selection to reorder. */
  private readonly scratch: Float64Array;
  private readonly buckets = new Int32Array(bucketCount);
  private readonly capacity: number;
  private limit = 0;
  private below = Number.POSITIVE_INFINITY;
  private size = 0;
  private low = 0;
  /** A bucket's width, a power of two, and its inverse: a key's bucket is `(key − low) × inverse`. */
  private width = 1;
  private inverse = 1;
  private whole = false;
  /** The highest bucket an offer took, until `limit` are in; then the bucket of the limit-th least key. */
  private cutBucket = 0;
  /** Offers in buckets below `cutBucket`, once `limit` are in. */
  private under = 0;
  /**
   * The key an item must be under to get in (the cut bucket's upper edge, or the bound `reset`
   * was given): callers test it inline before making an item.
   */
  bar = Number.NEGATIVE_INFINITY;

  /** `capacity`: the most items it keeps; `offers`: the most it is offered between two resets. */
  constructor(capacity: number, offers: number) {
    this.capacity = capacity;
    this.keys = new Float64Array(offers);
    this.items = new Float64Array(offers);
    this.scratch = new Float64Array(offers);
  }

  /**
   * Empties it, to keep at most `limit` (up to the capacity) items, each of key under `below`;
   * every key offered until the next reset lies in `low .. high` (outside it, the histogram
   * would miscount). `whole` when every key is a whole number, as are `low` and `high`: a
   * bucket of width 1 then holds one key, and the bar is that key itself once the limit is in
   * (an equal key offered later loses the tie), not the next one up. A row of many pairs of one
   * score reads on to the next score otherwise (`two-places-50k`'s re-choice: 36% of its pairs
   * read → 60%).
   */
  reset(limit: number, low: number, high: number, below = Number.POSITIVE_INFINITY, whole = false): void {
    // Offers not drained leave their counts: cleared under the range they were counted in.
    for (let x = 0; x < this.size; x++)
      this.buckets[(((this.keys[x] ?? 0) - this.low) * this.inverse) | 0] = 0;
    this.limit = Math.min(limit, this.capacity);
    this.below = below;
    this.whole = whole;
    this.size = 0;
    this.low = low;
    this.width = 1;
    // No finite range (no mentor, say): one bucket, resolved by the selection alone.
    if (Number.isFinite(high - low)) while ((high - low) / this.width >= bucketCount) this.width *= 2;
    else this.width = Number.POSITIVE_INFINITY;
    this.inverse = 1 / this.width;
    this.cutBucket = 0;
    this.under = 0;
    this.bar = this.limit > 0 ? below : Number.NEGATIVE_INFINITY;
  }

  offer(key: number, item: number): void {
    if (!(key < this.bar)) return;
    const { buckets, limit } = this;
    const b = ((key - this.low) * this.inverse) | 0;
    buckets[b] = (buckets[b] ?? 0) + 1;
    this.keys[this.size] = key;
    this.items[this.size] = item;
    const size = ++this.size;
    if (size < limit) {
      if (b > this.cutBucket) this.cutBucket = b;
      return;
    }
    if (size === limit) {
      // The limit-th least is in the highest bucket taken so far.
      if (b > this.cutBucket) this.cutBucket = b;
      this.under = limit - (buckets[this.cutBucket] ?? 0);
    } else if (b < this.cutBucket) {
      // One more below the cut: the cut moves down while the buckets under it hold the limit.
      let under = this.under + 1;
      let cut = this.cutBucket;
      while (under >= limit) under -= buckets[--cut] ?? 0;
      this.under = under;
      this.cutBucket = cut;
    } else return;
    if (this.width === 1 && this.whole) this.bar = Math.min(this.below, this.low + this.cutBucket);
    else if (this.width < Number.POSITIVE_INFINITY)
      this.bar = Math.min(this.below, this.low + (this.cutBucket + 1) * this.width);
  }

  /** The items kept, in the order offered, appended to `out`; then it is empty, with the same limit and range. */
  drainInto(out: { push(item: number): void }): void {
    const { keys, items, buckets, size, limit, low, inverse } = this;
    let cut = Number.POSITIVE_INFINITY;
    let atCut = 0;
    if (size > limit) {
      // The cut bucket's (limit − under) least keys get in, ties to the earlier.
      const { scratch, cutBucket } = this;
      let inBucket = 0;
      for (let x = 0; x < size; x++) {
        const key = keys[x] ?? 0;
        if ((((key - low) * inverse) | 0) === cutBucket) scratch[inBucket++] = key;
      }
      const need = limit - this.under;
      cut = kthLeast(scratch, inBucket, need - 1);
      atCut = need;
      for (let y = 0; y < inBucket; y++) if ((scratch[y] ?? 0) < cut) atCut--;
    }
    for (let x = 0; x < size; x++) {
      const key = keys[x] ?? 0;
      buckets[((key - low) * inverse) | 0] = 0;
      if (size <= limit || key < cut || (key === cut && atCut-- > 0)) out.push(items[x] ?? 0);
    }
    this.size = 0;
    this.cutBucket = 0;
    this.under = 0;
    this.bar = limit > 0 ? this.below : Number.NEGATIVE_INFINITY;
  }
}

/**
 * Buckets of the histogram: a row's reduced costs span about 1,300–1,700 cost units in a
 * one-place cohort, 2,200–2,800 in `two-places-50k`, so each bucket is one unit there; a scan
 * touches only the buckets its keys fall in.
 */
const bucketCount = 4096;

/** The k-th least (from 0) of `values[0 .. count)`, which it reorders: Hoare's selection. */
function kthLeast(values: Float64Array, count: number, k: number): number {
  let low = 0;
  let high = count - 1;
  while (low < high) {
    const pivot = medianOfThree(values[low] ?? 0, values[(low + high) >> 1] ?? 0, values[high] ?? 0);
    let i = low;
    let j = high;
    while (i <= j) {
      while ((values[i] ?? 0) < pivot) i++;
      while ((values[j] ?? 0) > pivot) j--;
      if (i <= j) {
        const swap = values[i] ?? 0;
        values[i++] = values[j] ?? 0;
        values[j--] = swap;
      }
    }
    if (k <= j) high = j;
    else if (k >= i) low = i;
    else return pivot;
  }
  return values[k] ?? 0;
}

function medianOfThree(a: number, b: number, c: number): number {
  return a < b ? (b < c ? b : Math.max(a, c)) : a < c ? a : Math.max(b, c);
}
