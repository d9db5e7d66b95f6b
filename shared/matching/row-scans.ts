import { freeRow, unmatchedRow } from './cost-scaling.ts';
import { LeastKeys } from './least-keys.ts';
import type { ScoreTable } from './pair-scores.ts';

/**
 * The solver's scans of the score table: every eligible pair of many mentees, read against the
 * potentials of the moment: which mentees an outside pair beats (`outside`), which residual
 * arcs the proof finds negative (`residual`), each mentee's outside pairs of least reduced
 * cost (`widen`), and each mentor's best outside bidders (`bidders`). Besides cost scaling
 * itself they are most of the solve's reading (a fifth of `one-to-one`'s and of
 * `contention-50k`'s).
 *
 * Rows come best score first (cheapest first), and no mentor's potential is above the
 * highest, so a scan for low reduced costs stops at the first pair whose cost plus its
 * mentee's potential, less that highest, is already too high.
 */

/** Candidates are packed as mentor × entryBase + score. */
export const entryBase = 0x10000;
export const mentorOfEntry = (entry: number) => Math.floor(entry / entryBase);

/** What stays the same for every scan of one solve. */
export interface ScanSetting {
  table: ScoreTable;
  /** Places per mentor. */
  capacity: Int32Array;
  skip: Uint8Array;
  /** A pair's cost from its score (solver.ts: the flow model's costs). */
  costOf: (score: number) => number;
  /** Cost of the unmatched exit. */
  D: number;
}

/**
 * The scans of one solve, with their scratch space: the marks of a mentee's listed mentors and
 * the least-key buffer of the widening.
 */
export class RowScans {
  private readonly setting: ScanSetting;
  private readonly n: number;
  /** Per mentor, the mentee whose list marked it, plus one. */
  private readonly listedBy: Int32Array;
  private readonly least: LeastKeys;

  /** `widenLimit`: the most pairs one widening adds to a mentee. */
  constructor(setting: ScanSetting, widenLimit: number) {
    this.setting = setting;
    this.n = setting.table.mentees;
    this.listedBy = new Int32Array(setting.table.mentors);
    this.least = new LeastKeys(widenLimit);
  }

  /**
   * Mentees with an eligible pair whose reduced cost is below −tolerance (their own pair, and
   * mentors with no place, aside: cost scaling never prices those).
   */
  outside(pot: Float64Array, assigned: Int32Array, tolerance: number): number[] {
    const { table, capacity, skip, costOf } = this.setting;
    const { rowStart, mentor, score } = table;
    const n = this.n;
    const highest = this.highestMentorPotential(pot);
    const violated: number[] = [];
    for (let i = 0; i < n; i++) {
      if (skip[i]) continue;
      const own = assigned[i] ?? freeRow;
      const pi = pot[i] ?? 0;
      for (let k = rowStart[i] ?? 0, end = rowStart[i + 1] ?? 0; k < end; k++) {
        const c = costOf(score[k] ?? 0);
        if (c + pi - highest >= -tolerance) break;
        const j = mentor[k] ?? 0;
        if (j === own || (capacity[j] ?? 0) <= 0) continue;
        if (c + pi - (pot[n + j] ?? 0) < -tolerance) {
          violated.push(i);
          break;
        }
      }
    }
    return violated;
  }

  /**
   * Every residual arc of the full problem under the potentials `pot`, for the proof:
   * `violated`, mentees with an eligible pair of negative reduced cost that is not their own;
   * `broken`, the first other arc that fails (mentor ⇄ sink, an exit, an own pair), which is a bug.
   */
  residual(pot: Float64Array, assigned: Int32Array): { violated: number[]; broken?: string } {
    const { table, capacity, skip, costOf, D } = this.setting;
    const { rowStart, mentor, score } = table;
    const n = this.n;
    const m = table.mentors;
    const pt = pot[n + m] ?? 0;
    const violated: number[] = [];
    const load = new Int32Array(m);
    for (let i = 0; i < n; i++) {
      const j = assigned[i] ?? freeRow;
      if (j >= 0) load[j] = (load[j] ?? 0) + 1;
    }
    for (let j = 0; j < m; j++) {
      const pj = pot[n + j] ?? 0;
      if ((load[j] ?? 0) > (capacity[j] ?? 0)) return { violated, broken: `mentor ${j} over capacity` };
      if ((load[j] ?? 0) < (capacity[j] ?? 0) && pj - pt < 0)
        return { violated, broken: `mentor ${j} → sink` };
      if ((load[j] ?? 0) > 0 && pt - pj < 0) return { violated, broken: `sink → mentor ${j}` };
    }
    for (let i = 0; i < n; i++) {
      if (skip[i]) continue;
      const own = assigned[i] ?? freeRow;
      const pi = pot[i] ?? 0;
      if (own === freeRow) return { violated, broken: `mentee ${i} placed nowhere` };
      if (own === unmatchedRow ? pt - pi - D < 0 : D + pi - pt < 0)
        return { violated, broken: `mentee ${i} exit` };
      let bad = false;
      let ownFound = own === unmatchedRow;
      for (let k = rowStart[i] ?? 0, end = rowStart[i + 1] ?? 0; k < end; k++) {
        const j = mentor[k] ?? 0;
        const c = costOf(score[k] ?? 0);
        if (j === own) {
          ownFound = true;
          if (-c + (pot[n + j] ?? 0) - pi < 0) return { violated, broken: `mentee ${i} → its mentor` };
        } else if (c + pi - (pot[n + j] ?? 0) < 0) bad = true;
      }
      if (!ownFound) return { violated, broken: `mentee ${i} has an ineligible mentor` };
      if (bad) violated.push(i);
    }
    return { violated };
  }

  /**
   * Adds to the list of each mentee `rows[p]` its `count[p]` outside pairs of least reduced
   * cost, in the order its row lists them.
   */
  widen(pot: Float64Array, rows: readonly number[], count: ArrayLike<number>, lists: number[][]): void {
    const { table, costOf } = this.setting;
    const { rowStart, mentor, score } = table;
    const n = this.n;
    const highest = this.highestMentorPotential(pot);
    const { least, listedBy } = this;
    for (let p = 0; p < rows.length; p++) {
      const i = rows[p] ?? 0;
      const list = lists[i] ?? [];
      this.markListed(list, i);
      const pi = pot[i] ?? 0;
      least.reset(count[p] ?? 0);
      for (let k = rowStart[i] ?? 0, end = rowStart[i + 1] ?? 0; k < end; k++) {
        const s = score[k] ?? 0;
        const c = costOf(s);
        if (c + pi - highest >= least.bar) break;
        const j = mentor[k] ?? 0;
        if (listedBy[j] === i + 1) continue;
        const reduced = c + pi - (pot[n + j] ?? 0);
        if (reduced < least.bar) least.offer(reduced, j * entryBase + s);
      }
      least.drainInto(list);
      lists[i] = list;
    }
  }

  /**
   * Adds to each mentor j up to its slots (`keepStart[j] .. keepStart[j + 1]`) outside pairs
   * from `rows`: those of least cost plus mentee potential (the bids that would win its
   * places), among pairs whose reduced cost is below `below`. Each pair is found once (a row
   * lists a mentor once), so no list gains a mentor twice. Mentors without slots are passed
   * over before a value is computed: the completion gives slots to a fifth of them or fewer.
   */
  bidders(
    pot: Float64Array,
    rows: readonly number[],
    keepStart: Int32Array,
    below: number,
    lists: number[][],
  ): void {
    const { table, costOf } = this.setting;
    const { rowStart, mentor, score } = table;
    const n = this.n;
    const m = table.mentors;
    const bid = new Float64Array(keepStart[m] ?? 0).fill(Number.POSITIVE_INFINITY);
    const bidPair = new Int32Array(bid.length).fill(-1);
    const bidder = new Int32Array(bid.length);
    const highest = this.highestMentorPotential(pot);
    for (let p = 0; p < rows.length; p++) {
      const i = rows[p] ?? 0;
      this.markListed(lists[i] ?? [], i);
      const pi = pot[i] ?? 0;
      for (let k = rowStart[i] ?? 0, end = rowStart[i + 1] ?? 0; k < end; k++) {
        const j = mentor[k] ?? 0;
        // Into the mentor's best bids, kept sorted (few: the slots are small).
        const first = keepStart[j] ?? 0;
        let at = (keepStart[j + 1] ?? 0) - 1;
        if (at < first) continue;
        const value = costOf(score[k] ?? 0) + pi;
        if (value - highest >= below) break;
        if (value >= (bid[at] ?? 0)) continue;
        if (this.listedBy[j] === i + 1 || value - (pot[n + j] ?? 0) >= below) continue;
        for (; at > first && (bid[at - 1] ?? 0) > value; at--) {
          bid[at] = bid[at - 1] ?? 0;
          bidPair[at] = bidPair[at - 1] ?? 0;
          bidder[at] = bidder[at - 1] ?? 0;
        }
        bid[at] = value;
        bidPair[at] = k;
        bidder[at] = i;
      }
    }
    for (let x = 0; x < bidPair.length; x++) {
      const k = bidPair[x] ?? -1;
      if (k >= 0) lists[bidder[x] ?? 0]?.push((mentor[k] ?? 0) * entryBase + (score[k] ?? 0));
    }
  }

  /**
   * The highest potential of any mentor (the scans read mentors with no places too, which
   * cost scaling never prices): a pair's reduced cost is at least its cost plus its mentee's
   * potential less this.
   */
  private highestMentorPotential(pot: Float64Array): number {
    let highest = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < this.setting.table.mentors; j++) highest = Math.max(highest, pot[this.n + j] ?? 0);
    return highest;
  }

  /** Marks the mentors on mentee i's list (indexed: `for…of` over these lists took three times as long). */
  private markListed(list: readonly number[], i: number): void {
    for (let e = 0; e < list.length; e++) this.listedBy[mentorOfEntry(list[e] ?? 0)] = i + 1;
  }
}
