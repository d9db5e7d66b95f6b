import { freeRow, unmatchedRow } from './cost-scaling.ts';
import { LeastKeys } from './least-keys.ts';
import { maxScoreTenths, type ScoreTable } from './pair-scores.ts';

/**
 * The solver's scans of the score table: every eligible pair of many mentees, read against the
 * potentials of the moment: which mentees an outside pair beats (`outside`), which residual
 * arcs the proof finds negative (`residual`), each mentee's outside pairs of least reduced
 * cost (`widen`), and each mentor's best outside bidders (`bidders`). They are most of the
 * solve's reading besides cost scaling itself.
 *
 * A scan reads the positions of a request in blocks, and each block's result depends on that
 * block alone (the bidders' per-mentor lists are ordered by value, then position), so blocks
 * scanned on several threads and joined in order give exactly what one thread gives
 * (scan-in-parallel.ts). This file is the scans themselves, shared by every thread.
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
  /** Cost units per tenth of a point: a pair of score s costs A × (1000 − s). */
  A: number;
  /** Cost of the unmatched exit. */
  D: number;
}

/** Some mentees' candidate lists, packed: position p's entries are `entry[start[p] .. start[p + 1])`. */
export interface PackedLists {
  start: Int32Array;
  entry: Float64Array;
}

/** A scan to run, with the potentials of the moment (mentees, mentors, then the sink). */
export type ScanRequest =
  | {
      /** Mentees (positions: every mentee) with an outside pair of reduced cost below −tolerance. */
      kind: 'outside';
      pot: Float64Array;
      assigned: Int32Array;
      tolerance: number;
    }
  | {
      /** Every residual arc out of the mentees (positions: every mentee), for the proof. */
      kind: 'residual';
      pot: Float64Array;
      assigned: Int32Array;
    }
  | {
      /** Per mentee in `rows`, its `count[p]` outside pairs of least reduced cost. */
      kind: 'widen';
      pot: Float64Array;
      rows: Int32Array;
      count: Int32Array;
      lists: PackedLists;
    }
  | {
      /** Per mentor, up to its slots of the best outside bids from `rows` with reduced cost below `below`. */
      kind: 'bidders';
      pot: Float64Array;
      rows: Int32Array;
      lists: PackedLists;
      /** Mentor j's slots are `keepStart[j] .. keepStart[j + 1]`. */
      keepStart: Int32Array;
      below: number;
    };

/** What one block of a scan found. */
export type BlockResult =
  | { kind: 'outside'; violated: Int32Array }
  | { kind: 'residual'; violated: Int32Array; broken?: string }
  | { kind: 'widen'; start: Int32Array; entry: Float64Array }
  | { kind: 'bidders' };

/** How many positions a request covers. */
export function positionsOf(request: ScanRequest, setting: ScanSetting): number {
  return request.kind === 'outside' || request.kind === 'residual'
    ? setting.table.mentees
    : request.rows.length;
}

/**
 * One thread's scanning state: the marks of a mentee's listed mentors, the least-key buffer,
 * and for `bidders` the best bids of the blocks this thread read.
 */
export class RowScanner {
  private readonly setting: ScanSetting;
  private readonly n: number;
  /** Per mentor, the position whose list marked it, plus one. */
  private readonly listedAt: Int32Array;
  private readonly least: LeastKeys;
  /** The bidders' best bids of this thread, when the request is `bidders`. */
  bids: BestBids | undefined;

  constructor(setting: ScanSetting, widenLimit: number) {
    this.setting = setting;
    this.n = setting.table.mentees;
    this.listedAt = new Int32Array(setting.table.mentors);
    this.least = new LeastKeys(widenLimit);
  }

  /** Starts a request: the bidders' lists begin empty. */
  begin(request: ScanRequest): void {
    this.listedAt.fill(0);
    this.bids = request.kind === 'bidders' ? new BestBids(request.keepStart) : undefined;
  }

  /** Scans positions `from .. to` of the request. */
  scan(request: ScanRequest, from: number, to: number): BlockResult {
    switch (request.kind) {
      case 'outside':
        return { kind: 'outside', violated: this.outside(request, from, to) };
      case 'residual':
        return this.residual(request, from, to);
      case 'widen':
        return this.widen(request, from, to);
      case 'bidders':
        this.offerBids(request, from, to);
        return { kind: 'bidders' };
    }
  }

  private highestMentorPotential(pot: Float64Array): number {
    let highest = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < this.setting.table.mentors; j++) highest = Math.max(highest, pot[this.n + j] ?? 0);
    return highest;
  }

  /** Marks the mentors on position p's list. */
  private markListed(lists: PackedLists, p: number): void {
    for (let e = lists.start[p] ?? 0, end = lists.start[p + 1] ?? 0; e < end; e++) {
      this.listedAt[mentorOfEntry(lists.entry[e] ?? 0)] = p + 1;
    }
  }

  /**
   * Rows come best score first (cheapest first), and no mentor's potential is above the
   * highest, so a row's scan stops at the first pair whose cost plus its mentee's potential,
   * less that highest, is already too high.
   */
  private outside(request: Extract<ScanRequest, { kind: 'outside' }>, from: number, to: number): Int32Array {
    const { table, capacity, skip, A } = this.setting;
    const { rowStart, mentor, score } = table;
    const { pot, assigned, tolerance } = request;
    const n = this.n;
    const highest = this.highestMentorPotential(pot);
    const violated: number[] = [];
    for (let i = from; i < to; i++) {
      if (skip[i]) continue;
      const own = assigned[i] ?? freeRow;
      const pi = pot[i] ?? 0;
      for (let k = rowStart[i] ?? 0, end = rowStart[i + 1] ?? 0; k < end; k++) {
        const c = A * (maxScoreTenths - (score[k] ?? 0));
        if (c + pi - highest >= -tolerance) break;
        const j = mentor[k] ?? 0;
        if (j === own || (capacity[j] ?? 0) <= 0) continue;
        if (c + pi - (pot[n + j] ?? 0) < -tolerance) {
          violated.push(i);
          break;
        }
      }
    }
    return Int32Array.from(violated);
  }

  /** Every residual arc out of mentees `from .. to`: the exits, their own pairs, every other pair. */
  private residual(
    request: Extract<ScanRequest, { kind: 'residual' }>,
    from: number,
    to: number,
  ): BlockResult {
    const { table, skip, A, D } = this.setting;
    const { rowStart, mentor, score } = table;
    const { pot, assigned } = request;
    const n = this.n;
    const pt = pot[n + table.mentors] ?? 0;
    const violated: number[] = [];
    const found = (broken?: string): BlockResult => ({
      kind: 'residual',
      violated: Int32Array.from(violated),
      ...(broken ? { broken } : {}),
    });
    for (let i = from; i < to; i++) {
      if (skip[i]) continue;
      const own = assigned[i] ?? freeRow;
      const pi = pot[i] ?? 0;
      if (own === freeRow) return found(`mentee ${i} placed nowhere`);
      if (own === unmatchedRow ? pt - pi - D < 0 : D + pi - pt < 0) return found(`mentee ${i} exit`);
      let bad = false;
      let ownFound = own === unmatchedRow;
      for (let k = rowStart[i] ?? 0, end = rowStart[i + 1] ?? 0; k < end; k++) {
        const j = mentor[k] ?? 0;
        const c = A * (maxScoreTenths - (score[k] ?? 0));
        if (j === own) {
          ownFound = true;
          if (-c + (pot[n + j] ?? 0) - pi < 0) return found(`mentee ${i} → its mentor`);
        } else if (c + pi - (pot[n + j] ?? 0) < 0) bad = true;
      }
      if (!ownFound) return found(`mentee ${i} has an ineligible mentor`);
      if (bad) violated.push(i);
    }
    return found();
  }

  /** Per position, the outside pairs of least reduced cost, in the order the row lists them. */
  private widen(request: Extract<ScanRequest, { kind: 'widen' }>, from: number, to: number): BlockResult {
    const { table, A } = this.setting;
    const { rowStart, mentor, score } = table;
    const { pot, rows, count, lists } = request;
    const n = this.n;
    const highest = this.highestMentorPotential(pot);
    const { least, listedAt } = this;
    const start = new Int32Array(to - from + 1);
    const entry: number[] = [];
    for (let p = from; p < to; p++) {
      const i = rows[p] ?? 0;
      this.markListed(lists, p);
      const pi = pot[i] ?? 0;
      least.reset(count[p] ?? 0);
      for (let k = rowStart[i] ?? 0, end = rowStart[i + 1] ?? 0; k < end; k++) {
        const s = score[k] ?? 0;
        const c = A * (maxScoreTenths - s);
        if (c + pi - highest >= least.bar) break;
        const j = mentor[k] ?? 0;
        if (listedAt[j] === p + 1) continue;
        const reduced = c + pi - (pot[n + j] ?? 0);
        if (reduced < least.bar) least.offer(reduced, j * entryBase + s);
      }
      least.drainInto(entry);
      start[p - from + 1] = entry.length;
    }
    return { kind: 'widen', start, entry: Float64Array.from(entry) };
  }

  /**
   * Offers each outside pair of positions `from .. to` to its mentor's best bids: those of
   * least cost plus mentee potential (they would outbid the others for its places), among
   * pairs whose reduced cost is below `below`. Mentors without slots are passed over before a
   * value is computed: the completion gives slots to a fifth of them or fewer.
   */
  private offerBids(request: Extract<ScanRequest, { kind: 'bidders' }>, from: number, to: number): void {
    const bids = this.bids;
    if (!bids) return;
    const { table, A } = this.setting;
    const { rowStart, mentor, score } = table;
    const { pot, rows, lists, keepStart, below } = request;
    const n = this.n;
    const highest = this.highestMentorPotential(pot);
    for (let p = from; p < to; p++) {
      const i = rows[p] ?? 0;
      this.markListed(lists, p);
      const pi = pot[i] ?? 0;
      for (let k = rowStart[i] ?? 0, end = rowStart[i + 1] ?? 0; k < end; k++) {
        const j = mentor[k] ?? 0;
        if ((keepStart[j + 1] ?? 0) <= (keepStart[j] ?? 0)) continue;
        const value = A * (maxScoreTenths - (score[k] ?? 0)) + pi;
        if (value - highest >= below) break;
        if (this.listedAt[j] === p + 1 || value - (pot[n + j] ?? 0) >= below) continue;
        bids.offer(j, value, p, k);
      }
    }
  }
}

/**
 * Per mentor, its best bids so far, kept sorted by value, then position (a thread reads its
 * blocks in rising positions, so a later equal bid goes after): the order one scan of every
 * position in turn keeps them in, whichever thread read which block.
 */
export class BestBids {
  readonly keepStart: Int32Array;
  readonly value: Float64Array;
  readonly position: Int32Array;
  /** The pair (index into the score table) of each bid, −1 for an empty slot. */
  readonly pair: Int32Array;

  constructor(
    keepStart: Int32Array,
    arrays?: { value: Float64Array; position: Int32Array; pair: Int32Array },
  ) {
    this.keepStart = keepStart;
    const slots = keepStart[keepStart.length - 1] ?? 0;
    this.value = arrays?.value ?? new Float64Array(slots).fill(Number.POSITIVE_INFINITY);
    this.position = arrays?.position ?? new Int32Array(slots);
    this.pair = arrays?.pair ?? new Int32Array(slots).fill(-1);
  }

  offer(j: number, value: number, position: number, pair: number): void {
    const first = this.keepStart[j] ?? 0;
    let at = (this.keepStart[j + 1] ?? 0) - 1;
    if (at < first || !before(value, position, this.value[at] ?? 0, this.position[at] ?? 0)) return;
    for (; at > first && before(value, position, this.value[at - 1] ?? 0, this.position[at - 1] ?? 0); at--) {
      this.value[at] = this.value[at - 1] ?? 0;
      this.position[at] = this.position[at - 1] ?? 0;
      this.pair[at] = this.pair[at - 1] ?? 0;
    }
    this.value[at] = value;
    this.position[at] = position;
    this.pair[at] = pair;
  }

  /** Takes in another thread's bids for the same request. */
  merge(other: BestBids): void {
    for (let x = 0; x < other.pair.length; x++) {
      if ((other.pair[x] ?? -1) < 0) continue;
      this.offer(
        mentorOfSlot(other.keepStart, x),
        other.value[x] ?? 0,
        other.position[x] ?? 0,
        other.pair[x] ?? 0,
      );
    }
  }
}

/** Whether bid (v, p) ranks before (w, q): lower value, then earlier position. */
function before(v: number, p: number, w: number, q: number): boolean {
  return v < w || (v === w && p < q);
}

/** The mentor whose slots hold slot x (keepStart rises; slots are few per mentor). */
function mentorOfSlot(keepStart: Int32Array, x: number): number {
  let low = 0;
  let high = keepStart.length - 2;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((keepStart[mid] ?? 0) <= x) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** Packs the lists of the mentees in `rows` for a scan. */
export function packLists(lists: readonly number[][], rows: Int32Array): PackedLists {
  const start = new Int32Array(rows.length + 1);
  for (let p = 0; p < rows.length; p++) start[p + 1] = (start[p] ?? 0) + (lists[rows[p] ?? 0]?.length ?? 0);
  const entry = new Float64Array(start[rows.length] ?? 0);
  for (let p = 0; p < rows.length; p++) {
    const list = lists[rows[p] ?? 0] ?? [];
    for (let e = 0, at = start[p] ?? 0; e < list.length; e++) entry[at++] = list[e] ?? 0;
  }
  return { start, entry };
}

/** A scan's result, its blocks joined in order. */
export interface ScanOutcome {
  /** `outside`, `residual`: the mentees found, in order. */
  violated: Int32Array;
  /** `residual`: the first arc other than an outside pair that fails (a bug). */
  broken?: string;
  /** `widen`: per position, the pairs to add. */
  added: PackedLists;
  /** `bidders`: per mentor, the best bids. */
  bids?: BestBids;
}

/** Runs the solver's scans: on this thread (`scanHere`) or on several (scan-in-parallel.ts). */
export interface RowScans {
  readonly setting: ScanSetting;
  run(request: ScanRequest): ScanOutcome;
  /** Stops any threads it started. */
  close(): void;
}

/** Makes the scans of one solve; `widenLimit` is the most pairs a widening adds to a mentee. */
export type RowScansFactory = (setting: ScanSetting, widenLimit: number) => RowScans;

/** Every scan on this thread, in one block. */
export const scanHere: RowScansFactory = (setting, widenLimit) => {
  const scanner = new RowScanner(setting, widenLimit);
  return {
    setting,
    run(request) {
      scanner.begin(request);
      const block = scanner.scan(request, 0, positionsOf(request, setting));
      return joinScan([block], scanner.bids ? [scanner.bids] : []);
    },
    close() {},
  };
};

/** The blocks' results in block order, and each thread's bids, as one scan's. */
export function joinScan(blocks: readonly BlockResult[], bids: readonly BestBids[]): ScanOutcome {
  const violated: number[] = [];
  let broken: string | undefined;
  const starts: number[] = [0];
  const entries: Float64Array[] = [];
  let entryCount = 0;
  for (const block of blocks) {
    if (block.kind === 'outside' || block.kind === 'residual') {
      if (broken === undefined)
        for (let x = 0; x < block.violated.length; x++) violated.push(block.violated[x] ?? 0);
      if (block.kind === 'residual' && block.broken !== undefined) broken ??= block.broken;
    } else if (block.kind === 'widen') {
      for (let p = 1; p < block.start.length; p++) starts.push(entryCount + (block.start[p] ?? 0));
      entries.push(block.entry);
      entryCount += block.entry.length;
    }
  }
  const entry = new Float64Array(entryCount);
  let at = 0;
  for (const part of entries) {
    entry.set(part, at);
    at += part.length;
  }
  const [first, ...others] = bids;
  for (const other of others) first?.merge(other);
  return {
    violated: Int32Array.from(violated),
    ...(broken !== undefined ? { broken } : {}),
    added: { start: Int32Array.from(starts), entry },
    ...(first ? { bids: first } : {}),
  };
}
