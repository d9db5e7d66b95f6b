/** Limits up to which entries move one by one; longer lists use binary search and a native copy. */
const shortList = 64;

/**
 * The `limit` items of least key among those offered, least first, ties to the earlier
 * offered, kept sorted in typed arrays. On long lists an item that gets in finds its place
 * by binary search and the ones after it move up in one native copy, so the hundreds of
 * candidates one-place cohorts keep cost little more per item than the few dozen of others (a
 * shift one entry at a time was most of the candidate choice's time there); short lists shift
 * one by one, which is faster at their size.
 */
export class LeastKeys {
  private readonly keys: Float64Array;
  private readonly items: Float64Array;
  private limit = 0;
  private size = 0;
  /**
   * The key an item must be under to get in (the last kept once full): callers test it inline
   * before making an item, which most of a long row fails.
   */
  bar = Number.NEGATIVE_INFINITY;

  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.items = new Float64Array(capacity);
  }

  /** Empties it, to keep at most `limit` (up to the capacity) items. */
  reset(limit: number): void {
    this.limit = Math.min(limit, this.keys.length);
    this.size = 0;
    this.bar = this.limit > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }

  offer(key: number, item: number): void {
    if (!(key < this.bar)) return;
    if (this.size < this.limit) this.size++;
    const last = this.size - 1;
    const { keys, items } = this;
    let at = last;
    if (this.limit <= shortList) {
      // Short: move the greater keys up one by one (equal keys stay in the order offered).
      while (at > 0 && (keys[at - 1] ?? 0) > key) {
        keys[at] = keys[at - 1] ?? 0;
        items[at] = items[at - 1] ?? 0;
        at--;
      }
    } else {
      // Long: find the first greater key by binary search, move the rest up in one native copy.
      let high = last;
      at = 0;
      while (at < high) {
        const mid = (at + high) >> 1;
        if ((keys[mid] ?? 0) > key) high = mid;
        else at = mid + 1;
      }
      keys.copyWithin(at + 1, at, last);
      items.copyWithin(at + 1, at, last);
    }
    keys[at] = key;
    items[at] = item;
    if (this.size === this.limit) this.bar = keys[last] ?? 0;
  }

  /** The items kept, least key first, appended to `out`; then it is empty, with the same limit. */
  drainInto(out: number[]): void {
    for (let x = 0; x < this.size; x++) out.push(this.items[x] ?? 0);
    this.reset(this.limit);
  }
}
