import { type MessagePort, workerData } from 'node:worker_threads';
import type { ScanJob, ScanReplies } from './parallel-scans.ts';
import { type EntryArray, entryArray, packedList, RowScans, type ScanSetting } from './row-scans.ts';
import { buffersOf } from './typed-arrays.ts';

/** The helper thread of `startScanHelper`: runs each scan it is sent on its rows and sends back what it found. */

export interface ScanWorkerData {
  setting: ScanSetting;
  widenLimit: number;
  /** Jobs answered, counted up after each reply is posted. */
  done: Int32Array;
  port: MessagePort;
}

const { setting, widenLimit, done, port } = workerData as ScanWorkerData;
const scans = new RowScans(setting, widenLimit);

port.on('message', (job: ScanJob) => {
  try {
    const reply = run(job);
    // Every array of a reply was made for it: handed over, not copied.
    port.postMessage(reply, buffersOf(Object.values(reply)));
  } catch (error) {
    port.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
  Atomics.add(done, 0, 1);
  Atomics.notify(done, 0);
});

function run(job: ScanJob): ScanReplies[ScanJob['kind']] {
  switch (job.kind) {
    case 'outside':
      return {
        violated: Int32Array.from(scans.outsideOf(job.pot, job.assigned, job.tolerance, job.from, job.to)),
      };
    case 'residual': {
      const { violated, broken } = scans.residualOf(job.pot, job.assigned, job.from, job.to);
      return { violated: Int32Array.from(violated), ...(broken ? { broken } : {}) };
    }
    case 'widen': {
      const { rows, listed } = unpacked(job);
      // Every row's pairs go into one list, each row's from where it stood when asked.
      const added: number[] = [];
      const listStart = new Int32Array(rows.length + 1);
      scans.widenOf(job.pot, rows, job.count, listed, (p) => {
        listStart[p] = added.length;
        return added;
      });
      listStart[rows.length] = added.length;
      const listItems = entryArray(setting.table.mentors, added.length);
      listItems.set(added);
      return { listStart, listItems };
    }
    case 'bidders': {
      const { rows, listed } = unpacked(job);
      return scans.biddersOf(job.pot, rows, job.keepStart, job.below, listed);
    }
  }
}

/** The job's rows, and their lists indexed by mentee as the scans read them. */
function unpacked(job: { rows: Int32Array; listStart: Int32Array; listItems: EntryArray }) {
  const rows = Array.from(job.rows);
  const listed: EntryArray[] = [];
  rows.forEach((i, p) => {
    listed[i] = packedList(job.listStart, job.listItems, p);
  });
  return { rows, listed };
}
