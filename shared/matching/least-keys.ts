/**
 * The `limit` items of least key among those offered, ties to the earlier offered, handed out
 * in the order they were offered. Offers go into a buffer twice the limit long; when it is
 * full, a selection (quickselect, linear on average) finds the limit-th least key and keeps
 * only the items under it (and the earliest at it). So an offer costs a constant amortized,
 * where a list kept sorted costs a shift or a search per item that gets in: the re-choice of
 * one-place cohorts' hundreds of candidates admits a third of every row's pairs.
 */
export class LeastKeys {
  private readonly keys: Float64Array;
  private readonly items: Float64Array;
  /** The keys, copied for the selection to reorder. */
  private readonly scratch: Float64Array;
  private limit = 0;
  private size = 0;
  /**
   * The key an item must be under to get in (the limit-th least after the last selection):
   * callers test it inline before making an item, which most of a long row fails.
   */
  bar = Number.NEGATIVE_INFINITY;

  constructor(capacity: number) {
    this.keys = new Float64Array(2 * capacity);
    this.items = new Float64Array(2 * capacity);
    this.scratch = new Float64Array(2 * capacity);
  }

  /** Empties it, to keep at most `limit` (up to the capacity) items, each of key under `below`. */
  reset(limit: number, below = Number.POSITIVE_INFINITY): void {
    this.limit = Math.min(limit, this.keys.length / 2);
    this.size = 0;
    this.bar = this.limit > 0 ? below : Number.NEGATIVE_INFINITY;
  }

  offer(key: number, item: number): void {
    if (!(key < this.bar)) return;
    this.keys[this.size] = key;
    this.items[this.size] = item;
    if (++this.size === 2 * this.limit) this.keepLeast();
  }

  /** The items kept, in the order offered, appended to `out`; then it is empty, with the same limit. */
  drainInto(out: { push(item: number): void }): void {
    this.keepLeast();
    for (let x = 0; x < this.size; x++) out.push(this.items[x] ?? 0);
    this.reset(this.limit);
  }

  /** Cuts the buffer down to the `limit` least keys, in order, and raises the bar to the last one kept. */
  private keepLeast(): void {
    const { keys, items, limit, size } = this;
    if (size <= limit) return;
    this.scratch.set(keys.subarray(0, size));
    const cut = kthLeast(this.scratch, size, limit - 1);
    let atCut = limit;
    for (let x = 0; x < size; x++) if ((keys[x] ?? 0) < cut) atCut--;
    let kept = 0;
    for (let x = 0; x < size; x++) {
      const key = keys[x] ?? 0;
      if (key < cut || (key === cut && atCut-- > 0)) {
        keys[kept] = key;
        items[kept++] = items[x] ?? 0;
      }
    }
    this.size = kept;
    this.bar = cut;
  }
}

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
