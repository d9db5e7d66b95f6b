// A worker thread's first module, in plain JavaScript: it turns on Node's compile cache before
// the worker's own TypeScript module (the URL after it on the command line) loads, as
// bin/tandem.mjs does for the CLI's thread. A worker's modules are then read type-stripped and
// compiled from disk, and the TypeScript stripper itself is never loaded: a scoring worker is
// ready in about 35 ms instead of 90 (startWorker in worker-threads.ts).
import { enableCompileCache } from 'node:module';

enableCompileCache();
await import(process.argv[2]);
