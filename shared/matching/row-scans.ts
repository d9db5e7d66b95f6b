import { type Entries, type EntryArray, type EntryList, entryArray, entryList } from './candidate-lists.ts';
import { sharedCursor, takeInTurns } from './claims.ts';
import { freeRow, unmatchedRow } from './cost-scaling.ts';
import { LeastKeys } from './least-keys.ts';
import { maxScoreTenths, type ScoreTable, scoreAt } from './pair-scores.ts';
import type { SolveHelper } from './solve-helper.ts';

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

/** A pair's cost in the flow model (solver.ts): `unitsPerTenth` per tenth of a point below the best score. */
export const pairCost = (unitsPerTenth: number) => (score: number) =>
  unitsPerTenth * (maxScoreTenths - score);

/** Candidates are packed as mentor × entryBase + score: in 32 bits, the mentor above `entryBits`, the score below. */
export const entryBits = 16;
export const entryBase = 2 ** entryBits;
export const mentorOfEntry = (entry: number) => Math.floor(entry / entryBase);

/**
 * How the scans are shared with the helper: each thread takes the next claim of mentees or
 * rows as it comes free (claims.ts), so both end together however far each row's scan goes.
 * Cut in two halves of as many pairs, as they were, one thread waited for the other 60–210 ms
 * a solve (`bootcamp-one-to-one`, one place at 170%, `one-to-one`, `one-to-one-unplaceable`;
 * the sum of each scan's difference, one run each), the helper's half of a widening taking up
 * to 1.35 times as long as this thread's.
 */
export interface ScanClaims {
  mentees: number;
  rows: number;
}

export const scanClaims: ScanClaims = { mentees: 128, rows: 16 };

const increasing = (a: number, b: number) => a - b;

/** What the proof finds in a row (`residualRow`). */
const rowHolds = 0;
const beaten = 1;
const ownBroken = 2;
const ownMissing = 3;

/** What stays the same for every scan of one solve. */
export interface ScanSetting {
  table: ScoreTable;
  /** Places per mentor. */
  capacity: Int32Array;
  skip: Uint8Array;
  /** Cost units per tenth of a point below the best score (solver.ts: the flow model's costs). */
  unitsPerTenth: number;
  /** Cost of the unmatched exit. */
  D: number;
}

/**
 * The scans of one solve, with their scratch space: the marks of a mentee's listed mentors and
 * the least-key buffer of the widening.
 */
export class RowScans {
  private readonly setting: ScanSetting & { costOf: (score: number) => number };
  private readonly n: number;
  /** Per mentor, the mentee whose list marked it, plus one. */
  private readonly listedBy: Int32Array;
  private readonly least: LeastKeys;

  /** A second thread that scans part of the rows, when there is one. */
  private readonly helper: SolveHelper | undefined;

  /** Mentees (`outside`, `residual`) and rows (`widen`, `bidders`) a thread takes at a time in a scan shared with the helper. */
  private readonly claims: ScanClaims;

  /**
   * `widenLimit`: the most pairs one widening adds to a mentee. `helper`: a second thread
   * that scans part of the rows of each scan (solve-helper.ts), the same way. `claims`: see
   * `scanClaims` (tests make them small, so that short scans are shared too).
   */
  constructor(setting: ScanSetting, widenLimit: number, helper?: SolveHelper, claims = scanClaims) {
    this.setting = { ...setting, costOf: pairCost(setting.unitsPerTenth) };
    this.n = setting.table.mentees;
    this.listedBy = new Int32Array(setting.table.mentors);
    this.least = new LeastKeys(widenLimit, setting.table.mentors);
    this.helper = helper;
    this.claims = claims;
  }

  /**
   * Mentees with an eligible pair whose reduced cost is below −tolerance (their own pair, and
   * mentors with no place, aside: cost scaling never prices those), in increasing order.
   */
  outside(pot: Float64Array, assigned: Int32Array, tolerance: number): number[] {
    const cursor = this.helper ? sharedCursor() : undefined;
    const claim = this.claims.mentees;
    const theirs = cursor && this.helper?.start({ kind: 'outside', pot, assigned, tolerance, cursor, claim });
    const violated = this.outsideOf(pot, assigned, tolerance, cursor, claim);
    if (!theirs) return violated;
    for (const i of theirs().violated) violated.push(i);
    return violated.sort(increasing);
  }

  /** `outside` for the mentees this thread claims from `cursor` in claims of `claim` (every mentee without one). */
  outsideOf(
    pot: Float64Array,
    assigned: Int32Array,
    tolerance: number,
    cursor?: Int32Array,
    claim = this.n,
  ): number[] {
    const { capacity, skip } = this.setting;
    const n = this.n;
    const { highest } = this.mentorPotentialRange(pot);
    // Per mentor, its potential, −∞ without places (no pair with it counts): one array read a
    // pair, where its places and potential were two.
    const placed = Float64Array.from(capacity, (places, j) =>
      places > 0 ? (pot[n + j] ?? 0) : Number.NEGATIVE_INFINITY,
    );
    const violated: number[] = [];
    takeInTurns(cursor, n, claim, (from, to) => {
      for (let i = from; i < to; i++) {
        if (!skip[i] && this.beaten(i, assigned[i] ?? freeRow, pot[i] ?? 0, placed, highest, tolerance))
          violated.push(i);
      }
      return true;
    });
    return violated;
  }

  /**
   * Whether a pair of mentee i (of potential `pi`, placed with `own`) other than its own has
   * reduced cost below −tolerance. A method of its own, as `offerRow` is: in `tandem match`,
   * the outside-pair scans of one place at 170% took 65 ms with the loop inline against 53, of
   * `one-to-one` 78 against 58 (medians of 4). (A stop before measured it mixed, 0.9–1.1.)
   */
  private beaten(
    i: number,
    own: number,
    pi: number,
    placed: Float64Array,
    highest: number,
    tolerance: number,
  ): boolean {
    const { table, costOf } = this.setting;
    const { rowStart, mentor, runStart, runEnd, runScore } = table;
    let k = rowStart[i] ?? 0;
    for (let r = runStart[i] ?? 0, runs = runStart[i + 1] ?? 0; r < runs; r++) {
      const c = costOf(runScore[r] ?? 0);
      if (c + pi - highest >= -tolerance) return false;
      for (const end = runEnd[r] ?? 0; k < end; k++) {
        const j = mentor[k] ?? 0;
        if (c + pi - (placed[j] ?? 0) < -tolerance && j !== own) return true;
      }
    }
    return false;
  }

  /**
   * Every residual arc of the full problem under the potentials `pot`, for the proof:
   * `violated`, mentees with an eligible pair of negative reduced cost that is not their own;
   * `broken`, the first other arc that fails (mentor ⇄ sink, an exit, an own pair), which is a bug.
   */
  residual(pot: Float64Array, assigned: Int32Array): { violated: number[]; broken?: string } {
    const { table, capacity } = this.setting;
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
    const cursor = this.helper ? sharedCursor() : undefined;
    const claim = this.claims.mentees;
    const theirs = cursor && this.helper?.start({ kind: 'residual', pot, assigned, cursor, claim });
    const mine = this.residualOf(pot, assigned, cursor, claim);
    // What one thread would find: the first arc broken, and the violations before its mentee.
    const reply = theirs?.();
    const first = reply && (reply.brokenAt ?? n) < (mine.brokenAt ?? n) ? reply : mine;
    const end = first.brokenAt ?? n;
    const found = reply
      ? [...mine.violated, ...reply.violated].filter((i) => i < end).sort(increasing)
      : mine.violated;
    return first.broken ? { violated: found, broken: first.broken } : { violated: found };
  }

  /**
   * The mentees' arcs of `residual`, for the mentees this thread claims from `cursor` in claims
   * of `claim` (every mentee without one). Stops at the first arc broken (`brokenAt`: its mentee).
   */
  residualOf(
    pot: Float64Array,
    assigned: Int32Array,
    cursor?: Int32Array,
    claim = this.n,
  ): { violated: number[]; broken?: string; brokenAt?: number } {
    const { table, skip, D } = this.setting;
    const n = this.n;
    const pt = pot[n + table.mentors] ?? 0;
    const { highest } = this.mentorPotentialRange(pot);
    const violated: number[] = [];
    let broken: { broken: string; brokenAt: number } | undefined;
    takeInTurns(cursor, n, claim, (from, to) => {
      for (let i = from; i < to; i++) {
        if (skip[i]) continue;
        const own = assigned[i] ?? freeRow;
        const pi = pot[i] ?? 0;
        if (own === freeRow) broken = { broken: `mentee ${i} placed nowhere`, brokenAt: i };
        else if (own === unmatchedRow ? pt - pi - D < 0 : D + pi - pt < 0)
          broken = { broken: `mentee ${i} exit`, brokenAt: i };
        if (broken) return false;
        const found = this.residualRow(pot, i, own, pi, highest);
        if (found === ownBroken) broken = { broken: `mentee ${i} → its mentor`, brokenAt: i };
        else if (found === ownMissing)
          broken = { broken: `mentee ${i} has an ineligible mentor`, brokenAt: i };
        if (broken) return false;
        if (found === beaten) violated.push(i);
      }
      return true;
    });
    return { violated, ...broken };
  }

  /**
   * What `residualOf` finds in mentee i's row (placed with `own`, of potential `pi`):
   * `rowHolds`, `beaten`, `ownBroken` or `ownMissing`. A method of its own, as `offerRow` is:
   * in `tandem match`, the proof's scans of one place at 170% took 41 ms with the loop inline
   * against 33, of `one-to-one` 53 against 41 (medians of 4).
   */
  private residualRow(pot: Float64Array, i: number, own: number, pi: number, highest: number): number {
    const { table, costOf } = this.setting;
    const { rowStart, mentor, runStart, runEnd, runScore } = table;
    const n = this.n;
    let bad = false;
    let ownFound = own === unmatchedRow;
    let k = rowStart[i] ?? 0;
    row: for (let r = runStart[i] ?? 0, runs = runStart[i + 1] ?? 0; r < runs; r++) {
      const c = costOf(runScore[r] ?? 0);
      const past = c + pi - highest > 0;
      for (const end = runEnd[r] ?? 0; k < end; k++) {
        // Once its own pair is checked, the row is done at its first violation, or where a
        // pair's cost less the highest mentor potential is positive: rows come cheapest first,
        // so every later pair's reduced cost is positive too. (Its own pair lies before that
        // point when the potentials are right; when it does not, the scan goes on to find it.)
        if (ownFound && (bad || past)) break row;
        const j = mentor[k] ?? 0;
        if (j === own) {
          ownFound = true;
          if (-c + (pot[n + j] ?? 0) - pi < 0) return ownBroken;
        } else if (c + pi - (pot[n + j] ?? 0) < 0) bad = true;
      }
    }
    if (!ownFound) return ownMissing;
    return bad ? beaten : rowHolds;
  }

  /**
   * Adds to the list of each mentee `rows[p]` its `count[p]` outside pairs of least reduced
   * cost (only those under `below`), in the order its row lists them.
   */
  widen(
    pot: Float64Array,
    rows: readonly number[],
    count: ArrayLike<number>,
    lists: (EntryList | undefined)[],
    below = Number.POSITIVE_INFINITY,
  ): void {
    const mentors = this.setting.table.mentors;
    const { cursor, claim, shared } = this.shareRows(rows, lists);
    const theirs =
      shared && this.helper?.start({ kind: 'widen', pot, count: Int32Array.from(count), below, ...shared });
    this.widenOf(
      pot,
      rows,
      count,
      below,
      lists,
      (p) => {
        const i = rows[p] ?? 0;
        lists[i] ??= entryList(mentors);
        return lists[i];
      },
      cursor,
      claim,
    );
    if (!theirs) return;
    const { done, listStart, listItems } = theirs();
    done.forEach((p, d) => {
      const i = rows[p] ?? 0;
      const list = lists[i] ?? entryList(mentors);
      for (let e = listStart[d] ?? 0; e < (listStart[d + 1] ?? 0); e++) list.push(listItems[e] ?? 0);
      lists[i] = list;
    });
  }

  /**
   * `widen` on this thread, for the rows it claims from `cursor` in claims of `claim` (every
   * row without one): the mentors on `listed[i]` are passed over, and row p's pairs added to
   * the list `into(p)` gives, asked for just before they are added.
   */
  widenOf(
    pot: Float64Array,
    rows: readonly number[],
    count: ArrayLike<number>,
    below: number,
    listed: readonly (Entries | undefined)[],
    into: (p: number) => { push(entry: number): void },
    cursor?: Int32Array,
    claim = rows.length,
  ): void {
    const range = this.mentorPotentialRange(pot);
    takeInTurns(cursor, rows.length, claim, (from, to) => {
      for (let p = from; p < to; p++) {
        const i = rows[p] ?? 0;
        this.markListed(listed[i], i);
        this.offerRow(pot, i, count[p] ?? 0, below, range);
        this.least.drainInto(into(p));
      }
      return true;
    });
  }

  /**
   * Offers row i's pairs to `least`, keeping `limit` under `below`, until the bar stops the row.
   * A function of its own, not a loop in the claim's callback: in `tandem match`, one place at
   * 170%'s widenings after the re-choice took 128 ms with the loop inline against 80 (medians
   * of 4; the re-choice's own the same).
   */
  private offerRow(
    pot: Float64Array,
    i: number,
    limit: number,
    below: number,
    { highest, lowest }: { highest: number; lowest: number },
  ): void {
    const { table, costOf } = this.setting;
    const { rowStart, mentor, runStart, runEnd, runScore } = table;
    const { least, listedBy, n } = this;
    const pi = pot[i] ?? 0;
    const runs = runStart[i + 1] ?? 0;
    // The row's reduced costs lie between its best cost against the highest mentor
    // potential and its worst against the lowest; whole numbers, as costs and potentials are.
    const bestCost = costOf(runScore[runStart[i] ?? 0] ?? 0);
    const worstCost = costOf(runScore[runs - 1] ?? 0);
    least.reset(limit, bestCost + pi - highest, worstCost + pi - lowest, below, true);
    let k = rowStart[i] ?? 0;
    for (let r = runStart[i] ?? 0; r < runs; r++) {
      const s = runScore[r] ?? 0;
      const c = costOf(s);
      const floor = c + pi - highest;
      for (const end = runEnd[r] ?? 0; k < end; k++) {
        // The bar falls as pairs are offered: checked at every pair.
        if (floor >= least.bar) return;
        const j = mentor[k] ?? 0;
        if (listedBy[j] === i + 1) continue;
        const reduced = c + pi - (pot[n + j] ?? 0);
        if (reduced < least.bar) least.offer(reduced, j * entryBase + s);
      }
    }
  }

  /**
   * Adds to each mentor j up to its slots (`keepStart[j] .. keepStart[j + 1]`) outside pairs
   * from `rows`: those of least cost plus mentee potential (the bids that would win its
   * places), among pairs whose reduced cost is below `below`. Each pair is found once (a row
   * lists a mentor once), so no list gains a mentor twice. Mentors without slots are passed
   * over before their bids are read: the completion gives slots to a fifth of them or fewer.
   */
  bidders(
    pot: Float64Array,
    rows: readonly number[],
    keepStart: Int32Array,
    below: number,
    lists: readonly (EntryList | undefined)[],
  ): void {
    const { table } = this.setting;
    const { cursor, claim, shared } = this.shareRows(rows, lists);
    const theirs = shared && this.helper?.start({ kind: 'bidders', pot, keepStart, below, ...shared });
    const mine = this.biddersOf(pot, rows, keepStart, below, lists, cursor, claim);
    const { bidPair, bidder } = theirs ? mergeBids(keepStart, mine, theirs()) : mine;
    for (let x = 0; x < bidPair.length; x++) {
      const k = bidPair[x] ?? -1;
      if (k < 0) continue;
      const i = rows[bidder[x] ?? 0] ?? 0;
      lists[i]?.push((table.mentor[k] ?? 0) * entryBase + scoreAt(table, i, k));
    }
  }

  /** Each mentor's best bids of `bidders` among the rows this thread claims from `cursor` in claims of `claim` (every row without one). */
  biddersOf(
    pot: Float64Array,
    rows: readonly number[],
    keepStart: Int32Array,
    below: number,
    listed: readonly (Entries | undefined)[],
    cursor?: Int32Array,
    claim = rows.length,
  ): Bids {
    const { table } = this.setting;
    const n = this.n;
    const m = table.mentors;
    const bid = new Float64Array(keepStart[m] ?? 0).fill(Number.POSITIVE_INFINITY);
    const bidPair = new Int32Array(bid.length).fill(-1);
    const bidder = new Int32Array(bid.length);
    const { highest } = this.mentorPotentialRange(pot);
    // Per mentor, the value a pair must be under to get into its bids: under its potential
    // plus the bound, and under its worst bid kept once its slots are full; −∞ without slots.
    // One array read a pair, where the mentor's slots, potential and worst bid were three (the
    // bids, far apart, rarely in cache).
    const gate = new Float64Array(m);
    for (let j = 0; j < m; j++)
      gate[j] =
        (keepStart[j + 1] ?? 0) > (keepStart[j] ?? 0) ? (pot[n + j] ?? 0) + below : Number.NEGATIVE_INFINITY;
    const bids = { bid, bidPair, bidder };
    takeInTurns(cursor, rows.length, claim, (from, to) => {
      for (let p = from; p < to; p++) {
        const i = rows[p] ?? 0;
        this.markListed(listed[i], i);
        this.bidRow(pot, i, p, keepStart, below, highest, gate, bids);
      }
      return true;
    });
    return bids;
  }

  /**
   * Row i's (the `p`-th of the scan's rows) pairs into its mentors' best bids, as `biddersOf`
   * keeps them; a method of its own, as `offerRow` is: in `tandem match`, one place at 170%'s
   * widenings by mentor took 118 ms with the loop inline against 99, the completion of
   * `mixed-places` 126 against 112 (medians of 4).
   */
  private bidRow(
    pot: Float64Array,
    i: number,
    p: number,
    keepStart: Int32Array,
    below: number,
    highest: number,
    gate: Float64Array,
    { bid, bidPair, bidder }: Bids,
  ): void {
    const { table, costOf } = this.setting;
    const { rowStart, mentor, runStart, runEnd, runScore } = table;
    const { n, listedBy } = this;
    const pi = pot[i] ?? 0;
    let k = rowStart[i] ?? 0;
    for (let r = runStart[i] ?? 0, runs = runStart[i + 1] ?? 0; r < runs; r++) {
      const value = costOf(runScore[r] ?? 0) + pi;
      if (value - highest >= below) return;
      for (const end = runEnd[r] ?? 0; k < end; k++) {
        const j = mentor[k] ?? 0;
        if (value >= (gate[j] ?? 0) || listedBy[j] === i + 1) continue;
        // Into the mentor's best bids, kept sorted (few: the slots are small).
        const first = keepStart[j] ?? 0;
        const last = (keepStart[j + 1] ?? 0) - 1;
        let at = last;
        for (; at > first && (bid[at - 1] ?? 0) > value; at--) {
          bid[at] = bid[at - 1] ?? 0;
          bidPair[at] = bidPair[at - 1] ?? 0;
          bidder[at] = bidder[at - 1] ?? 0;
        }
        bid[at] = value;
        bidPair[at] = k;
        bidder[at] = p;
        gate[j] = Math.min((pot[n + j] ?? 0) + below, bid[last] ?? 0);
      }
    }
  }

  /**
   * The highest and lowest potential of any mentor (the scans read mentors with no places too,
   * which cost scaling never prices): a pair's reduced cost is at least its cost plus its
   * mentee's potential less the highest, at most that less the lowest.
   */
  private mentorPotentialRange(pot: Float64Array): { highest: number; lowest: number } {
    let highest = Number.NEGATIVE_INFINITY;
    let lowest = Number.POSITIVE_INFINITY;
    for (let j = 0; j < this.setting.table.mentors; j++) {
      const potential = pot[this.n + j] ?? 0;
      if (potential > highest) highest = potential;
      if (potential < lowest) lowest = potential;
    }
    return { highest, lowest };
  }

  /**
   * A scan of `rows` shared with the helper, when there is one: the cursor both threads take
   * claims of rows from, and what the helper's job holds besides its own fields (every row and
   * its list, packed).
   */
  private shareRows(rows: readonly number[], lists: readonly (EntryList | undefined)[]) {
    const cursor = this.helper ? sharedCursor() : undefined;
    const claim = this.claims.rows;
    const shared = cursor && {
      rows: Int32Array.from(rows),
      cursor,
      claim,
      ...packLists(rows, lists, this.setting.table.mentors),
    };
    return { cursor, claim, shared };
  }

  /** Marks the mentors on mentee i's list (indexed: `for…of` over these lists took three times as long). */
  private markListed(list: Entries | undefined, i: number): void {
    if (!list) return;
    const { items, length } = list;
    for (let e = 0; e < length; e++) this.listedBy[mentorOfEntry(items[e] ?? 0)] = i + 1;
  }
}

/**
 * Per mentor, its best bids so far, in its slots (`keepStart`), least first: the value (cost
 * plus mentee potential, +∞ in a slot not taken), the pair and the bidder's place in the rows.
 */
export interface Bids {
  bid: Float64Array;
  bidPair: Int32Array;
  bidder: Int32Array;
}

/**
 * Two threads' bids joined, each mentor's slots the least of both, ties to the earlier row:
 * what one thread reading every row would have kept (each thread reads its claims in order).
 */
function mergeBids(keepStart: Int32Array, first: Bids, second: Bids): Bids {
  const joined: Bids = {
    bid: new Float64Array(first.bid.length),
    bidPair: new Int32Array(first.bid.length),
    bidder: new Int32Array(first.bid.length),
  };
  for (let j = 0; j + 1 < keepStart.length; j++) {
    let a = keepStart[j] ?? 0;
    let b = a;
    for (let x = a, end = keepStart[j + 1] ?? 0; x < end; x++) {
      const firstBid = first.bid[a] ?? 0;
      const secondBid = second.bid[b] ?? 0;
      const secondEarlier = (second.bidder[b] ?? 0) < (first.bidder[a] ?? 0);
      const from = secondBid < firstBid || (secondBid === firstBid && secondEarlier) ? second : first;
      const y = from === first ? a++ : b++;
      joined.bid[x] = from.bid[y] ?? 0;
      joined.bidPair[x] = from.bidPair[y] ?? 0;
      joined.bidder[x] = from.bidder[y] ?? 0;
    }
  }
  return joined;
}

/** The lists of `rows`, packed for another thread: row p's entries are `listItems[listStart[p] .. listStart[p + 1]]`. */
function packLists(
  rows: readonly number[],
  lists: readonly (EntryList | undefined)[],
  mentors: number,
): { listStart: Int32Array; listItems: EntryArray } {
  const listStart = new Int32Array(rows.length + 1);
  rows.forEach((i, p) => {
    listStart[p + 1] = (listStart[p] ?? 0) + (lists[i]?.length ?? 0);
  });
  const listItems = entryArray(mentors, listStart[rows.length] ?? 0);
  rows.forEach((i, p) => {
    const list = lists[i];
    if (list) listItems.set(list.items.subarray(0, list.length), listStart[p] ?? 0);
  });
  return { listStart, listItems };
}

/** Row p's list from packed lists (`packLists`), as a view. */
export function packedList(listStart: Int32Array, listItems: EntryArray, p: number): Entries {
  const from = listStart[p] ?? 0;
  return { items: listItems.subarray(from, listStart[p + 1] ?? 0), length: (listStart[p + 1] ?? 0) - from };
}
