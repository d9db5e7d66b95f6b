import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { RunningEngine } from './dynamodb-local.ts';
import type { VirtualClock } from './virtual-clock.ts';

// A CommonJS package whose default export interop differs between Node and Vite: require it.
const require = createRequire(import.meta.url);
const sesEml =
  require('aws-ses-v2-local/dist/emlFile.js') as typeof import('aws-ses-v2-local/dist/emlFile.js');

export type CapturedEmail = import('aws-ses-v2-local/dist/store.js').Email;

/** A captured email as the `.eml` file the web inbox offers for download. */
export async function emlOf(email: CapturedEmail): Promise<Buffer> {
  return (await sesEml.createEmlContent(email)).body;
}

export interface RunningSes extends RunningEngine {
  /** The web inbox showing every captured email. */
  inboxUrl: string;
  /**
   * The emails captured so far, from position `from` on (they are only ever appended),
   * including every one SES accepted before this call. Local runs read them here rather than
   * through the server's `/store` route, whose every answer filters and serializes the whole
   * store: at thousands of participants, polling it would cost more than the cohort itself.
   */
  capturedSince(from: number): Promise<CapturedEmail[]>;
}

type WorkerMessage =
  | { type: 'listening'; port: number }
  | { type: 'email'; email: CapturedEmail }
  | { type: 'synced' };

/**
 * Starts aws-ses-v2-local on a free port, in a worker thread of this process: it captures
 * every email sent to it, and its side of each call takes another core than the sender's.
 * With a virtual clock, the emails it captures are stamped in virtual time. Every start has
 * its own, empty, inbox.
 */
export async function startSesLocal(
  options: { port?: number; clock?: VirtualClock } = {},
): Promise<RunningSes> {
  const worker = new Worker(new URL('./ses-local-worker.ts', import.meta.url), {
    workerData: { port: options.port ?? 0, ...(options.clock ? { clock: options.clock.shared } : {}) },
  });
  const emails: CapturedEmail[] = [];
  const syncs: (() => void)[] = [];
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'email') emails.push(message.email);
      else if (message.type === 'synced') syncs.shift()?.();
      else resolve(message.port);
    });
    worker.on('error', reject);
    exited.then(() => {
      reject(new Error('aws-ses-v2-local stopped before it listened'));
      // A stopped inbox holds what it captured: nobody waits for more.
      for (const synced of syncs.splice(0)) synced();
    });
  });
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    inboxUrl: `${endpoint}/`,
    async capturedSince(from) {
      // Messages from the worker arrive in order: once it answers, every email before is here.
      await new Promise<void>((resolve) => {
        syncs.push(resolve);
        worker.postMessage('sync');
      });
      return emails.slice(from);
    },
    async stop() {
      worker.postMessage('stop');
      await exited;
    },
  };
}
