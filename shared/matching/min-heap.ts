import { resized } from './typed-arrays.ts';

/** A binary min-heap of nodes by key, in typed arrays that grow as needed; equal keys in no set order. */
export class MinHeap {
  private nodes = new Int32Array(1024);
  private keys = new Float64Array(1024);
  size = 0;

  /** The least key; the heap must not be empty. */
  get leastKey(): number {
    return this.keys[0] ?? 0;
  }

  push(node: number, key: number): void {
    if (this.size === this.nodes.length) {
      this.nodes = resized(this.nodes, this.size * 2);
      this.keys = resized(this.keys, this.size * 2);
    }
    const { nodes, keys } = this;
    let at = this.size++;
    while (at > 0) {
      const up = (at - 1) >> 1;
      if ((keys[up] ?? 0) <= key) break;
      nodes[at] = nodes[up] ?? 0;
      keys[at] = keys[up] ?? 0;
      at = up;
    }
    nodes[at] = node;
    keys[at] = key;
  }

  /** Takes out a node of the least key; the heap must not be empty. */
  pop(): number {
    const { nodes, keys } = this;
    const top = nodes[0] ?? 0;
    const size = --this.size;
    const node = nodes[size] ?? 0;
    const key = keys[size] ?? 0;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= size) break;
      if (child + 1 < size && (keys[child + 1] ?? 0) < (keys[child] ?? 0)) child++;
      if ((keys[child] ?? 0) >= key) break;
      nodes[at] = nodes[child] ?? 0;
      keys[at] = keys[child] ?? 0;
      at = child;
    }
    nodes[at] = node;
    keys[at] = key;
    return top;
  }
}
