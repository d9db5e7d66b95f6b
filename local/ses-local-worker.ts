/**
 * aws-ses-v2-local in a worker thread (started by `startSesLocal`): the server's side of every
 * SendEmail call runs on another core than the code that sends. Each captured email also goes
 * to the parent thread, before SES answers the request that sent it; a `sync` message is
 * answered after every email posted before it, so the parent can wait until it has them all.
 */
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { followVirtualTime } from './virtual-clock.ts';

// CommonJS packages whose default export interop differs between Node and Vite: require them.
const require = createRequire(import.meta.url);
const sesLocal = require('aws-ses-v2-local') as typeof import('aws-ses-v2-local');
const sesStore = require('aws-ses-v2-local/dist/store.js') as typeof import('aws-ses-v2-local/dist/store.js');

const parent = parentPort;
if (!parent) throw new Error('ses-local-worker.ts runs as a worker thread: use startSesLocal()');
const { port, clock } = workerData as { port: number; clock?: SharedArrayBuffer };
if (clock) followVirtualTime(clock);

// The routes call the store's `saveEmail` through its exports, so this sees every email.
const save = sesStore.saveEmail;
(sesStore as { saveEmail: typeof save }).saveEmail = (email) => {
  save(email);
  parent.postMessage({ type: 'email', email });
};

const server: Server = await sesLocal.default({ host: '127.0.0.1', port });
// Senders keep their connections alive (the SDK's default) and Tandem's mailer does not retry
// (a failed send is ambiguous: the ledger's lease decides). Node closes idle connections after
// a few seconds, and a send that picks such a connection as it closes fails with "socket hang up": the
// dev stack's cohort then waited out the lease, 15 minutes of real time. SES keeps them open.
server.keepAliveTimeout = 0;
const address = server.address();
parent.postMessage({ type: 'listening', port: address && typeof address === 'object' ? address.port : 0 });
parent.on('message', (message: 'sync' | 'stop') => {
  if (message === 'sync') parent.postMessage({ type: 'synced' });
  else {
    server.closeAllConnections();
    server.close(() => parent.close());
  }
});
