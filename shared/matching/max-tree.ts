/**
 * Values by index, with their largest and the first index whose value is above a bound, each in
 * O(log size): a binary tree of maxima over the indices, in one typed array.
 */
export class MaxTree {
  private readonly leaves: number;
  private readonly tree: Float64Array;

  constructor(size: number) {
    this.leaves = 2 ** Math.ceil(Math.log2(Math.max(1, size)));
    this.tree = new Float64Array(2 * this.leaves).fill(Number.NEGATIVE_INFINITY);
  }

  set(index: number, value: number): void {
    const { tree } = this;
    let at = this.leaves + index;
    tree[at] = value;
    for (at >>= 1; at >= 1; at >>= 1) {
      const larger = Math.max(tree[2 * at] ?? 0, tree[2 * at + 1] ?? 0);
      if (tree[at] === larger) break;
      tree[at] = larger;
    }
  }

  /** The largest value (−∞ when none is set). */
  max(): number {
    return this.tree[1] ?? Number.NEGATIVE_INFINITY;
  }

  /** The lowest index whose value is above `bound`, or −1. */
  firstAbove(bound: number): number {
    const { tree, leaves } = this;
    if (!((tree[1] ?? 0) > bound)) return -1;
    let at = 1;
    while (at < leaves) at = (tree[2 * at] ?? 0) > bound ? 2 * at : 2 * at + 1;
    return at - leaves;
  }
}
