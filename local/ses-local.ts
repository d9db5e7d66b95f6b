import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { RunningEngine } from './dynamodb-local.ts';

// A CommonJS package whose default export interop differs between Node and Vite: require it.
const require = createRequire(import.meta.url);
const sesLocal = require('aws-ses-v2-local') as typeof import('aws-ses-v2-local');
const sesStore = require('aws-ses-v2-local/dist/store.js') as typeof import('aws-ses-v2-local/dist/store.js');
const sesEml =
  require('aws-ses-v2-local/dist/emlFile.js') as typeof import('aws-ses-v2-local/dist/emlFile.js');

export type CapturedEmail = import('aws-ses-v2-local/dist/store.js').Email;

/**
 * The emails the SES server running in this process has captured, from position `from` on
 * (they are only ever appended). Local runs read them here rather than through the server's
 * `/store` route, whose every answer filters and serializes the whole store: at thousands of
 * participants, polling it would cost more than the cohort itself.
 */
export function capturedSince(from: number): CapturedEmail[] {
  return sesStore.getStoreReadonly().emails.slice(from);
}

/** A captured email as the `.eml` file the web inbox offers for download. */
export async function emlOf(email: CapturedEmail): Promise<Buffer> {
  return (await sesEml.createEmlContent(email)).body;
}

export interface RunningSes extends RunningEngine {
  /** The web inbox showing every captured email. */
  inboxUrl: string;
}

/**
 * Starts aws-ses-v2-local in this process on a free port; it captures every email sent to it.
 * Its store is the module's: a second local stack in the process starts from an empty inbox,
 * not with the first one's mail.
 */
export async function startSesLocal(options: { port?: number } = {}): Promise<RunningSes> {
  sesStore.clearStore();
  const server: Server = await sesLocal.default({ host: '127.0.0.1', port: options.port ?? 0 });
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('aws-ses-v2-local did not report its port');
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    inboxUrl: `${endpoint}/`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
