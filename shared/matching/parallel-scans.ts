import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { Bids, EntryArray, ScanSetting } from './row-scans.ts';
import type { ScanWorkerData } from './scan-worker.ts';
import { workerFile } from './score-in-parallel.ts';
import { bufferOf } from './typed-arrays.ts';

/**
 * A second thread for the solver's scans of the score table (row-scans.ts): each scan gives it
 * the later part of its rows (cut where both parts hold about as many pairs) and reads the
 * first part itself, then joins the two as one thread reading every row would have them.
 * Besides cost scaling itself, those scans are most of a large solve (a fifth of
 * `two-places-50k`'s and of `contention-50k`'s), and the machine's other core is idle while
 * the solver runs.
 *
 * The table is shared, not copied: it must sit in shared memory, as scoring leaves it
 * (`TableInBlocks`). The potentials and the flow are copied with each job, the rows' lists
 * handed over. The solver stays synchronous: this thread sends the job, reads its part, then
 * waits on a shared counter for the helper's reply and reads it off the port. For the CLI and
 * the benchmark, not for Lambda: a bundled function has no worker file, and the solver scans
 * on one thread unless it is given this.
 */

export type ScanJob =
  | { kind: 'outside'; pot: Float64Array; assigned: Int32Array; tolerance: number; from: number; to: number }
  | { kind: 'residual'; pot: Float64Array; assigned: Int32Array; from: number; to: number }
  | {
      kind: 'widen';
      pot: Float64Array;
      rows: Int32Array;
      count: Int32Array;
      listStart: Int32Array;
      listItems: EntryArray;
    }
  | {
      kind: 'bidders';
      pot: Float64Array;
      rows: Int32Array;
      keepStart: Int32Array;
      below: number;
      listStart: Int32Array;
      listItems: EntryArray;
    };

/** What the helper sends back for each kind of job. */
export interface ScanReplies {
  outside: { violated: Int32Array };
  residual: { violated: Int32Array; broken?: string };
  /** Per row, the entries the widening added to its list (packed as `packLists` packs them). */
  widen: { listStart: Int32Array; listItems: EntryArray };
  bidders: Bids;
}

export interface ScanHelper {
  /** Starts a job on the helper's thread; the function returned waits for its reply. */
  start<K extends ScanJob['kind']>(job: Extract<ScanJob, { kind: K }>): () => ScanReplies[K];
  /** Stops the helper's thread. */
  close(): void;
}

/**
 * A helper for scans of this table, or undefined where the table is not in shared memory or
 * there is no worker file. Scoring makes the tables of large cohorts only shared
 * (`sharedTableFromMentees`), whose candidate graphs widen round after round, each round
 * scanning every eligible pair again. Measured (solving seconds, single runs, one thread →
 * two): `contention-50k` 36.0 → 33.0, `two-places-50k` 68.2 → 55.9, the same pairs. A cohort
 * of 10,000 gains little (`one-to-one` 2.70 → 2.60) and would pay for it in memory, which such
 * cohorts can least spare: the helper thread takes about 40 MB to start, and the lists it is
 * sent more (one-to-one with 170% places: 570 → 655 MB at peak).
 */
export function startScanHelper(setting: ScanSetting, widenLimit: number): ScanHelper | undefined {
  const { table } = setting;
  const shared = [table.rowStart, table.mentor, table.score].every(
    (a) => a.buffer instanceof SharedArrayBuffer,
  );
  const file = workerFile('./scan-worker.ts');
  if (!shared || !file) return undefined;
  const done = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const workerData: ScanWorkerData = { setting, widenLimit, done, port: port2 };
  const worker = new Worker(file, { workerData, transferList: [port2] });
  // Never what keeps the process alive: a solve that throws leaves it behind harmlessly.
  worker.unref();
  let sent = 0;
  return {
    start(job) {
      port1.postMessage(job, madeForJob(job));
      const ticket = ++sent;
      return () => awaitReply(done, ticket, port1);
    },
    close() {
      port1.close();
      void worker.terminate();
    },
  };
}

/**
 * The arrays a job is sent with that were made for it (its rows and their lists): handed over
 * rather than copied, which would hold them twice (one-to-one cohorts' lists are millions of
 * entries).
 */
function madeForJob(job: ScanJob): ArrayBuffer[] {
  if (job.kind === 'widen') return [job.rows, job.count, job.listStart, job.listItems].map(bufferOf);
  if (job.kind === 'bidders') return [job.rows, job.listStart, job.listItems].map(bufferOf);
  return [];
}

/** Blocks this thread until the helper has answered job `ticket`, and takes its reply. */
function awaitReply<T>(done: Int32Array, ticket: number, port: MessagePort): T {
  for (let seen = Atomics.load(done, 0); seen < ticket; seen = Atomics.load(done, 0)) {
    Atomics.wait(done, 0, seen);
  }
  const reply = receiveMessageOnPort(port)?.message as T | { error: string } | undefined;
  if (!reply) throw new Error('matching: the scan helper answered nothing');
  if (typeof reply === 'object' && reply !== null && 'error' in reply) {
    throw new Error(`matching: the scan helper failed: ${reply.error}`);
  }
  return reply as T;
}
