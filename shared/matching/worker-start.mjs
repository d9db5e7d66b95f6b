// A worker thread's first module, in plain JavaScript: it turns on Node's compile cache before
// the worker's own TypeScript module (the URL after it on the command line) loads, as
// bin/tandem.mjs does for the CLI's thread. A worker's modules are then read type-stripped and
// compiled from disk, and the TypeScript stripper itself is never loaded: a scoring worker is
// ready in about 35 ms instead of 90 (startWorker in worker-threads.ts).
//
// The worker's module exports `run(data)`. Its data is the worker's `workerData`, or, for a
// worker started before its work was known (`warmWorker`, worker-threads.ts), the first message
// it is sent: it loads its modules meanwhile, then waits.
import { enableCompileCache } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

enableCompileCache();
const { run } = await import(process.argv[2]);
run(workerData ?? (await new Promise((resolve) => parentPort.once('message', resolve))));
