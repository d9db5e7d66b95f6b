import type { CandidateGraph } from './cost-scaling.ts';
import { typedArray } from './typed-arrays.ts';

/**
 * Each mentee's few best arcs for cost scaling's bids (cost-scaling.ts), and a bound below
 * which no other arc's value can be. Prices only fall, so values only rise: the cache answers
 * a bid for as long as its second-best value stays at or under the bound, which spares most
 * full scans of the mentee's arcs. An entry holds the node whose price it pays (a mentor, or
 * the sink for the exit) and its scaled cost, side by side, so a bid reads no arc of the graph.
 *
 * A bid reads only the prices of mentors and the sink, and writes only its own mentee's price
 * and cache: the bids of different mentees against the same prices can be worked out on
 * different threads (parallel-bids.ts), each thread with its own `BidCaches` over the same
 * shared arrays.
 */
export interface BidSetting {
  graph: CandidateGraph;
  capacity: Int32Array;
  /** Scaled node prices, mentees then mentors then the sink. */
  price: Float64Array;
  mentees: number;
  mentors: number;
  scale: number;
  /** The scaled cost of a mentee's exit (unmatched). */
  dummyValue: number;
  /** Options each cache holds. */
  cacheSize: number;
  cache: CacheArrays;
}

export interface CacheArrays {
  /** Per entry (mentee × cacheSize): the node whose price it pays, and its scaled cost. */
  node: Int32Array;
  scaled: Float64Array;
  /** Per mentee: entries held, the bound on the others' values, and whether it is filled. */
  count: Uint8Array;
  bound: Float64Array;
  filled: Uint8Array;
}

/** The most options a cache holds (cost-scaling.ts sizes them by the candidate lists' length). */
export const maxCacheSize = 32;

/** Empty caches for `mentees` of `cacheSize` entries each, in shared memory when `shared`. */
export function cacheArrays(mentees: number, cacheSize: number, shared: boolean): CacheArrays {
  return {
    node: typedArray(Int32Array, mentees * cacheSize, shared),
    scaled: typedArray(Float64Array, mentees * cacheSize, shared),
    count: typedArray(Uint8Array, mentees, shared),
    bound: typedArray(Float64Array, mentees, shared),
    filled: typedArray(Uint8Array, mentees, shared),
  };
}

export class BidCaches {
  private readonly topArcs: Int32Array;
  private readonly topValues: Float64Array;
  private readonly sink: number;
  private readonly setting: BidSetting;
  /** What `placedValues` found. */
  current = 0;
  alternative = 0;

  constructor(setting: BidSetting) {
    this.setting = setting;
    this.topArcs = new Int32Array(setting.cacheSize + 1);
    this.topValues = new Float64Array(setting.cacheSize + 1);
    this.sink = setting.mentees + setting.mentors;
  }

  /**
   * Mentee i's bid at `eps`: the cache entry of its best option (ties to the earlier entry),
   * after pricing the mentee at its second-best value minus ε. What it reads and writes
   * depends on the prices and on the mentee's own cache only, not on the thread it runs on.
   */
  choose(i: number, eps: number): number {
    const { price, cacheSize, cache } = this.setting;
    let bestEntry = 0;
    let best = Number.POSITIVE_INFINITY;
    let second = Number.POSITIVE_INFINITY;
    for (let attempt = 0; attempt < 2; attempt++) {
      if (!cache.filled[i]) this.fill(i);
      best = Number.POSITIVE_INFINITY;
      second = Number.POSITIVE_INFINITY;
      for (let e = i * cacheSize, end = e + (cache.count[i] ?? 0); e < end; e++) {
        const value = (cache.scaled[e] ?? 0) - (price[cache.node[e] ?? 0] ?? 0);
        if (value < best) {
          second = best;
          best = value;
          bestEntry = e;
        } else if (value < second) second = value;
      }
      if (second <= (cache.bound[i] ?? 0)) break;
      cache.filled[i] = 0;
    }
    price[i] = -(second === Number.POSITIVE_INFINITY ? best : second) - eps;
    return bestEntry;
  }

  /**
   * Mentee i's value of its own option (node `own`: its mentor, or the sink for its exit) and
   * of its best other option, from its cache alone (`current`, `alternative`), without a scan
   * of its arcs: true when the cache can tell, which is when it is filled, holds the own option
   * and its best other value is at or under its bound (every arc it does not hold is worth at
   * least that).
   */
  placedValues(i: number, own: number): boolean {
    const { price, cacheSize, cache } = this.setting;
    if (!cache.filled[i]) return false;
    let current = Number.NaN;
    let alternative = Number.POSITIVE_INFINITY;
    for (let e = i * cacheSize, end = e + (cache.count[i] ?? 0); e < end; e++) {
      const node = cache.node[e] ?? 0;
      const value = (cache.scaled[e] ?? 0) - (price[node] ?? 0);
      if (node === own) current = value;
      else if (value < alternative) alternative = value;
    }
    if (Number.isNaN(current) || alternative > (cache.bound[i] ?? 0)) return false;
    this.current = current;
    this.alternative = alternative;
    return true;
  }

  /** Refills mentee i's cache: its cacheSize + 1 smallest values, by insertion into a short sorted list. */
  private fill(i: number): void {
    const { graph, capacity, price, mentees: n, scale, dummyValue, cacheSize, cache } = this.setting;
    const { start, mentor, cost } = graph;
    const { topArcs, topValues, sink } = this;
    let size = 1;
    topValues[0] = dummyValue - (price[sink] ?? 0);
    topArcs[0] = dummyArc;
    // Until the list is full everything goes in; then only what beats its last entry.
    let bar = Number.POSITIVE_INFINITY;
    for (let k = start[i] ?? 0, end = start[i + 1] ?? 0; k < end; k++) {
      const j = mentor[k] ?? 0;
      const value = (cost[k] ?? 0) * scale - (price[n + j] ?? 0);
      // Most arcs fail the bar: the mentor's places are read only for the few that pass.
      if (value >= bar) continue;
      if ((capacity[j] ?? 0) <= 0) continue;
      let at = size <= cacheSize ? size++ : cacheSize;
      while (at > 0 && (topValues[at - 1] ?? 0) > value) {
        topValues[at] = topValues[at - 1] ?? 0;
        topArcs[at] = topArcs[at - 1] ?? 0;
        at--;
      }
      topValues[at] = value;
      topArcs[at] = k;
      if (size > cacheSize) bar = topValues[cacheSize] ?? 0;
    }
    const kept = Math.min(size, cacheSize);
    for (let c = 0; c < kept; c++) {
      const k = topArcs[c] ?? 0;
      cache.node[i * cacheSize + c] = k === dummyArc ? sink : n + (mentor[k] ?? 0);
      cache.scaled[i * cacheSize + c] = k === dummyArc ? dummyValue : (cost[k] ?? 0) * scale;
    }
    cache.count[i] = kept;
    cache.bound[i] = size > cacheSize ? (topValues[cacheSize] ?? 0) : Number.POSITIVE_INFINITY;
    cache.filled[i] = 1;
  }
}

const dummyArc = -1;
