/**
 * A binary min-heap of (key, node) in typed arrays, for Dijkstra. Equal keys pop in node
 * order, so the search (and the matching it finds) is the same on every run. Entries are
 * never decreased in place: a better key is pushed again and the stale entry skipped by the
 * caller.
 */
export class MinHeap {
  #keys: Float64Array;
  #nodes: Int32Array;
  #size = 0;

  constructor(capacity = 1024) {
    this.#keys = new Float64Array(capacity);
    this.#nodes = new Int32Array(capacity);
  }

  get size(): number {
    return this.#size;
  }

  clear(): void {
    this.#size = 0;
  }

  /** Key of the smallest entry; call only when not empty. */
  get topKey(): number {
    return this.#keys[0] ?? Number.POSITIVE_INFINITY;
  }

  /** Node of the smallest entry; call only when not empty. */
  get topNode(): number {
    return this.#nodes[0] ?? -1;
  }

  push(key: number, node: number): void {
    if (this.#size === this.#keys.length) this.#grow();
    const keys = this.#keys;
    const nodes = this.#nodes;
    let at = this.#size++;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const parentKey = keys[parent] ?? 0;
      if (parentKey < key || (parentKey === key && (nodes[parent] ?? 0) <= node)) break;
      keys[at] = parentKey;
      nodes[at] = nodes[parent] ?? 0;
      at = parent;
    }
    keys[at] = key;
    nodes[at] = node;
  }

  pop(): void {
    const keys = this.#keys;
    const nodes = this.#nodes;
    const size = --this.#size;
    if (size === 0) return;
    const key = keys[size] ?? 0;
    const node = nodes[size] ?? 0;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= size) break;
      const right = child + 1;
      if (right < size) {
        const ck = keys[child] ?? 0;
        const rk = keys[right] ?? 0;
        if (rk < ck || (rk === ck && (nodes[right] ?? 0) < (nodes[child] ?? 0))) child = right;
      }
      const childKey = keys[child] ?? 0;
      if (key < childKey || (key === childKey && node <= (nodes[child] ?? 0))) break;
      keys[at] = childKey;
      nodes[at] = nodes[child] ?? 0;
      at = child;
    }
    keys[at] = key;
    nodes[at] = node;
  }

  #grow(): void {
    const keys = new Float64Array(this.#keys.length * 2);
    const nodes = new Int32Array(this.#nodes.length * 2);
    keys.set(this.#keys);
    nodes.set(this.#nodes);
    this.#keys = keys;
    this.#nodes = nodes;
  }
}
