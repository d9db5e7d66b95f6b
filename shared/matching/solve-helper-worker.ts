import type { MessagePort } from 'node:worker_threads';
import { type BidBoard, serveBids } from './parallel-bids.ts';
import { RowScans, type ScanSetting } from './row-scans.ts';
import { runScanJob, type ScanJob } from './scan-jobs.ts';
import { buffersOf } from './typed-arrays.ts';

/**
 * The helper thread of `startSolveHelper`: runs each scan it is sent on its rows and sends back
 * what it found, and works out cost scaling's bids from each board it is sent until the board
 * is ended.
 */

export interface HelperWorkerData {
  /** The table's setting, when the table is in shared memory (else the helper only bids). */
  setting?: ScanSetting;
  widenLimit: number;
  /** Slot 0: jobs answered, counted up after each reply is posted. Slot 1: 1 once this thread has started. */
  flags: Int32Array;
  port: MessagePort;
}

/** A board of bids to work on (parallel-bids.ts); it has no reply. */
export interface BidsMessage {
  kind: 'bids';
  board: BidBoard;
}

/** The helper's work (worker-start.mjs calls it with its data). */
export function run(data: HelperWorkerData): void {
  const { setting, widenLimit, flags, port } = data;
  const scans = setting ? new RowScans(setting, widenLimit) : undefined;

  port.on('message', (job: ScanJob | BidsMessage) => {
    if (job.kind === 'bids') {
      serveBids(job.board);
      return;
    }
    try {
      if (!scans || !setting) throw new Error('this helper was started without a shared table');
      const reply = runScanJob(scans, setting.table.mentors, job);
      // Every array of a reply was made for it: handed over, not copied.
      port.postMessage(reply, buffersOf(Object.values(reply)));
    } catch (error) {
      port.postMessage({ error: error instanceof Error ? error.message : String(error) });
    }
    Atomics.add(flags, 0, 1);
    Atomics.notify(flags, 0);
  });
  Atomics.store(flags, 1, 1);
  Atomics.notify(flags, 1);
}
