import { type MessagePort, workerData } from 'node:worker_threads';
import { RowScans, type ScanSetting } from './row-scans.ts';
import { runScanJob, type ScanJob } from './scan-jobs.ts';
import { buffersOf } from './typed-arrays.ts';

/** The helper thread of `startScanHelper`: runs each scan it is sent on its rows and sends back what it found. */

export interface ScanWorkerData {
  setting: ScanSetting;
  widenLimit: number;
  /** Slot 0: jobs answered, counted up after each reply is posted. Slot 1: 1 once this thread has started. */
  flags: Int32Array;
  port: MessagePort;
}

const { setting, widenLimit, flags, port } = workerData as ScanWorkerData;
const scans = new RowScans(setting, widenLimit);

port.on('message', (job: ScanJob) => {
  try {
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
