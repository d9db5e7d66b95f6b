import { type Entries, type EntryArray, entryList } from './candidate-lists.ts';
import { type Bids, packedList, type RowScans } from './row-scans.ts';

/**
 * The scans a helper thread runs for the solver (solve-helper.ts): the jobs it is sent, what
 * it sends back, and how a job runs, on the helper or, should the helper never start, here.
 */

export type ScanJob =
  | {
      kind: 'outside';
      pot: Float64Array;
      assigned: Int32Array;
      tolerance: number;
      /** The claims of mentees both threads take from (claims.ts), `claim` mentees each. */
      cursor: Int32Array;
      claim: number;
    }
  | { kind: 'residual'; pot: Float64Array; assigned: Int32Array; cursor: Int32Array; claim: number }
  | {
      kind: 'widen';
      pot: Float64Array;
      /** Every row of the widening and its list; the helper widens those it claims from `cursor`. */
      rows: Int32Array;
      count: Int32Array;
      below: number;
      cursor: Int32Array;
      claim: number;
      listStart: Int32Array;
      listItems: EntryArray;
    }
  | {
      kind: 'bidders';
      pot: Float64Array;
      rows: Int32Array;
      keepStart: Int32Array;
      below: number;
      cursor: Int32Array;
      claim: number;
      listStart: Int32Array;
      listItems: EntryArray;
    };

/** What a job gives back, for each kind of job. */
export interface ScanReplies {
  outside: { violated: Int32Array };
  /** `brokenAt`: the mentee of the arc broken. */
  residual: { violated: Int32Array; broken?: string; brokenAt?: number };
  /** The rows widened here (their places in the job's rows), and the entries each gained (packed as `packLists` packs them). */
  widen: { done: Int32Array; listStart: Int32Array; listItems: EntryArray };
  bidders: Bids;
}

/** Runs `job` with `scans` (of a table of `mentors` mentors). */
export function runScanJob<K extends ScanJob['kind']>(
  scans: RowScans,
  mentors: number,
  job: Extract<ScanJob, { kind: K }>,
): ScanReplies[K];
export function runScanJob(scans: RowScans, mentors: number, job: ScanJob): ScanReplies[ScanJob['kind']] {
  switch (job.kind) {
    case 'outside':
      return {
        violated: Int32Array.from(
          scans.outsideOf(job.pot, job.assigned, job.tolerance, job.cursor, job.claim),
        ),
      };
    case 'residual': {
      const { violated, ...broken } = scans.residualOf(job.pot, job.assigned, job.cursor, job.claim);
      return { violated: Int32Array.from(violated), ...broken };
    }
    case 'widen': {
      const { rows, listed } = unpacked(job);
      // Every row's pairs go into one list, each row's from where it stood when asked.
      const added = entryList(mentors, 4 * rows.length);
      const done: number[] = [];
      const starts: number[] = [];
      const into = (p: number) => {
        done.push(p);
        starts.push(added.length);
        return added;
      };
      scans.widenOf(job.pot, rows, job.count, job.below, listed, into, job.cursor, job.claim);
      starts.push(added.length);
      return {
        done: Int32Array.from(done),
        listStart: Int32Array.from(starts),
        listItems: added.items.slice(0, added.length),
      };
    }
    case 'bidders': {
      const { rows, listed } = unpacked(job);
      return scans.biddersOf(job.pot, rows, job.keepStart, job.below, listed, job.cursor, job.claim);
    }
  }
}

/** The job's rows, and their lists indexed by mentee as the scans read them. */
function unpacked(job: { rows: Int32Array; listStart: Int32Array; listItems: EntryArray }) {
  const rows = Array.from(job.rows);
  const listed: Entries[] = [];
  rows.forEach((i, p) => {
    listed[i] = packedList(job.listStart, job.listItems, p);
  });
  return { rows, listed };
}
