/**
 * The `limit` items of least key among those offered, ties to the earlier offered: a bounded
 * max-heap, so each offer that gets in costs a logarithm of the limit, not a shift through a
 * sorted list (which, at the hundreds of candidates one-place cohorts keep, was most of the
 * candidate choice's time).
 */
export class LeastKeys {
  private readonly keys: Float64Array;
  private readonly items: Float64Array;
  private readonly order: Int32Array;
  private limit = 0;
  private size = 0;
  private offered = 0;
  /** The key an item must be under to get in: the worst kept once full, else none. */
  private bar = Number.POSITIVE_INFINITY;

  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.items = new Float64Array(capacity);
    this.order = new Int32Array(capacity);
  }

  /** Empties it, to keep at most `limit` (up to the capacity) items. */
  reset(limit: number): void {
    this.limit = Math.min(limit, this.keys.length);
    this.size = 0;
    this.offered = 0;
    this.bar = this.limit > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }

  /** Whether an item of this key would get in now (so the caller can skip making it). */
  admits(key: number): boolean {
    return key < this.bar || (key === this.bar && this.size < this.limit);
  }

  offer(key: number, item: number): void {
    const order = this.offered++;
    if (this.size < this.limit) {
      let at = this.size++;
      while (at > 0) {
        const up = (at - 1) >> 1;
        if (!this.worse(key, order, up)) break;
        this.move(up, at);
        at = up;
      }
      this.place(at, key, item, order);
    } else {
      if (this.size === 0 || !this.better(key, order, 0)) return;
      this.siftDown(0, key, item, order);
    }
    if (this.size === this.limit) this.bar = this.keys[0] ?? 0;
  }

  /** The items kept, least key first (ties: the earlier offered), appended to `out`; empties it. */
  drainInto(out: number[]): void {
    const from = out.length;
    for (let x = 0; x < this.size; x++) out.push(0);
    while (this.size > 0) {
      out[from + this.size - 1] = this.items[0] ?? 0;
      const last = --this.size;
      if (last > 0) this.siftDown(0, this.keys[last] ?? 0, this.items[last] ?? 0, this.order[last] ?? 0);
    }
    this.reset(this.limit);
  }

  /** Whether (key, order) is worse than slot `at`'s item: a greater key, or as great and offered later. */
  private worse(key: number, order: number, at: number): boolean {
    const k = this.keys[at] ?? 0;
    return key > k || (key === k && order > (this.order[at] ?? 0));
  }

  /** Whether (key, order) is better than slot `at`'s item. */
  private better(key: number, order: number, at: number): boolean {
    const k = this.keys[at] ?? 0;
    return key < k || (key === k && order < (this.order[at] ?? 0));
  }

  private siftDown(start: number, key: number, item: number, order: number): void {
    let at = start;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.worse(this.keys[child + 1] ?? 0, this.order[child + 1] ?? 0, child))
        child++;
      if (!this.better(key, order, child)) break;
      this.move(child, at);
      at = child;
    }
    this.place(at, key, item, order);
  }

  private move(from: number, to: number): void {
    this.keys[to] = this.keys[from] ?? 0;
    this.items[to] = this.items[from] ?? 0;
    this.order[to] = this.order[from] ?? 0;
  }

  private place(at: number, key: number, item: number, order: number): void {
    this.keys[at] = key;
    this.items[at] = item;
    this.order[at] = order;
  }
}
