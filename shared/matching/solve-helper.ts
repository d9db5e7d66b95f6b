import { MessageChannel, type MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import type { BidBoard, BidHelper } from './parallel-bids.ts';
import { RowScans, type ScanSetting } from './row-scans.ts';
import { runScanJob, type ScanJob, type ScanReplies } from './scan-jobs.ts';
import type { BidsMessage, HelperWorkerData } from './solve-helper-worker.ts';
import { bufferOf } from './typed-arrays.ts';
import { startWorker, type WarmWorker, warmWorker, workerFile } from './worker-threads.ts';

/**
 * A second thread for the solver, which is otherwise alone on the machine while it runs (scoring
 * is over). It takes part in two things:
 * - cost scaling's bids (parallel-bids.ts): for each cost scaling call the solver sends it a
 *   board in shared memory, and both threads work out blocks of bids from it until the call
 *   ends. Most of a one-place cohort's solve and of a large one's is bidding.
 * - the scans of the score table (row-scans.ts), where the table is in shared memory: both
 *   threads take claims of a scan's mentees or rows from a shared cursor as they come free,
 *   then this thread joins what both found as one thread reading every row would have it. The
 *   potentials and the flow are copied with each job, the rows' lists handed over. This thread
 *   sends the job, reads its claims, then waits on a shared counter for the helper's reply and
 *   reads it off the port.
 *
 * The solver stays synchronous and gets the same results as on one thread. For the CLI and the
 * benchmark, not for Lambda: a bundled function has no worker file, and the solver works alone
 * unless it is given this.
 */

export interface SolveHelper extends BidHelper {
  /** Whether the table is in shared memory, so that the helper can take part in its scans. */
  sharesTable: boolean;
  /** Starts a scan on the helper's thread (here, should it never start); the function returned waits for its reply. */
  start<K extends ScanJob['kind']>(job: Extract<ScanJob, { kind: K }>): () => ScanReplies[K];
  /** Stops the helper's thread. */
  close(): void;
}

/**
 * A helper for a solve on this table, or undefined where there is no worker file. It scans
 * only where scoring made the table in shared memory (`sharedTable`: large cohorts, whose
 * candidate graphs widen round after round, each round scanning every eligible pair again,
 * and cohorts of many pairs). Measured, the scans (solving seconds, single runs, one thread →
 * two): `contention-50k` 36.0 → 33.0, `two-places-50k` 68.2 → 55.9; the bids: see
 * parallel-bids.ts. Cohorts of fewer pairs keep their table in ordinary memory: there sharing
 * saved nothing, and the helper's lists cost memory.
 */
export function startSolveHelper(
  setting: ScanSetting,
  widenLimit: number,
  {
    file = workerFile('./solve-helper-worker.ts'),
    startLimitMs = helperStartLimitMs,
    warm,
  }: { file?: URL | undefined; startLimitMs?: number; warm?: WarmWorker | undefined } = {},
): SolveHelper | undefined {
  const { table } = setting;
  const shared = [table.rowStart, table.mentor, table.runStart, table.runEnd, table.runScore].every(
    (a) => a.buffer instanceof SharedArrayBuffer,
  );
  if (!file) return undefined;
  const flags = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
  const workerData: HelperWorkerData = { ...(shared ? { setting } : {}), widenLimit, flags, port: port2 };
  const worker = startWorker(file, { workerData, transferList: [port2] }, warm);
  // Never what keeps the process alive: a solve that throws leaves it behind harmlessly.
  worker.unref();
  // A helper's error event only arrives once this thread is free again, after the solve that
  // owns it: by then its scans have run here (it never started) or a job has failed with its
  // error. Heard, so that it does not end the process.
  worker.on('error', () => {});
  let sent = 0;
  /** This thread's own scans, for a helper that never started. */
  let here: RowScans | undefined;
  return {
    sharesTable: shared,
    serve(board: BidBoard) {
      const message: BidsMessage = { kind: 'bids', board };
      port1.postMessage(message);
    },
    start(job) {
      if (!shared) throw new Error('matching: the solve helper cannot scan a table it cannot share');
      if (!here && !startedWithin(flags, startLimitMs)) {
        void worker.terminate();
        here = new RowScans(setting, widenLimit);
      }
      if (here) {
        const reply = runScanJob(here, table.mentors, job);
        return () => reply;
      }
      port1.postMessage(job, madeForJob(job));
      const ticket = ++sent;
      return () => awaitReply(flags, ticket, port1);
    },
    close() {
      port1.close();
      void worker.terminate();
    },
  };
}

/**
 * A helper's worker started now, before the cohort is read, for `startSolveHelper` to take
 * (`warm`): started with the solve, it took 55–140 ms to be ready (this project's machine),
 * while the solve's first bids ran on one thread. The caller closes it if it is never taken.
 */
export function warmSolveHelper(): WarmWorker | undefined {
  const file = workerFile('./solve-helper-worker.ts');
  return file && warmWorker(file);
}

/**
 * How long the first scan waits for the helper to start (its modules loaded; about 50 ms) before
 * this thread runs the scans itself: a helper that could not start would leave it waiting.
 */
const helperStartLimitMs = 10_000;

/** Whether the helper has started, waiting for it up to `limitMs`. */
function startedWithin(flags: Int32Array, limitMs: number): boolean {
  if (Atomics.load(flags, 1) === 0) Atomics.wait(flags, 1, 0, limitMs);
  return Atomics.load(flags, 1) === 1;
}

/**
 * The arrays a job is sent with that were made for it (its rows and their lists): handed over
 * rather than copied, which would hold them twice (a large cohort's lists are millions of
 * entries).
 */
function madeForJob(job: ScanJob): ArrayBuffer[] {
  if (job.kind === 'widen') return [job.rows, job.count, job.listStart, job.listItems].map(bufferOf);
  if (job.kind === 'bidders') return [job.rows, job.listStart, job.listItems].map(bufferOf);
  return [];
}

/**
 * Blocks this thread until the helper has answered job `ticket`, and takes its reply. Only a
 * helper killed outright (out of memory) would leave it waiting, as with scoring's workers.
 */
function awaitReply<T>(flags: Int32Array, ticket: number, port: MessagePort): T {
  for (let seen = Atomics.load(flags, 0); seen < ticket; seen = Atomics.load(flags, 0)) {
    Atomics.wait(flags, 0, seen);
  }
  const reply = receiveMessageOnPort(port)?.message as T | { error: string } | undefined;
  if (!reply) throw new Error('matching: the solve helper answered nothing');
  if (typeof reply === 'object' && reply !== null && 'error' in reply) {
    throw new Error(`matching: the solve helper failed: ${reply.error}`);
  }
  return reply as T;
}
