/**
 * The `limit` items of least key among those offered, least first, ties to the earlier
 * offered. Kept sorted in typed arrays: an item that gets in finds its place by binary search
 * and the ones after it move up by one native copy, so the hundreds of candidates one-place
 * cohorts keep cost no more per item than the few dozen of others (a shift one entry at a time
 * through a JavaScript array was most of the candidate choice's time there).
 */
export class LeastKeys {
  private readonly keys: Float64Array;
  private readonly items: Float64Array;
  private limit = 0;
  private size = 0;

  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.items = new Float64Array(capacity);
  }

  /** Empties it, to keep at most `limit` (up to the capacity) items. */
  reset(limit: number): void {
    this.limit = Math.min(limit, this.keys.length);
    this.size = 0;
  }

  /** Whether an item of this key would get in now (so the caller can skip making it). */
  admits(key: number): boolean {
    if (this.size < this.limit) return true;
    return this.size > 0 && key < (this.keys[this.size - 1] ?? 0);
  }

  offer(key: number, item: number): void {
    if (!this.admits(key)) return;
    // The first slot whose key is greater: equal keys stay in the order they were offered.
    let low = 0;
    let high = this.size;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((this.keys[mid] ?? 0) > key) high = mid;
      else low = mid + 1;
    }
    if (this.size < this.limit) this.size++;
    this.keys.copyWithin(low + 1, low, this.size - 1);
    this.items.copyWithin(low + 1, low, this.size - 1);
    this.keys[low] = key;
    this.items[low] = item;
  }

  /** The items kept, least key first, appended to `out`; then it is empty, with the same limit. */
  drainInto(out: number[]): void {
    for (let x = 0; x < this.size; x++) out.push(this.items[x] ?? 0);
    this.size = 0;
  }
}
