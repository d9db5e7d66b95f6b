import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * The matching's worker threads (the scorer's, score-in-parallel.ts, and the solve helper,
 * solve-helper.ts): their files beside this module, started through `worker-start.mjs`.
 */

/**
 * A worker file beside this one, or undefined where there is none (a bundle, where
 * `import.meta.url` may not even be defined): `worker-start.mjs` must be there too.
 */
export function workerFile(name: string): URL | undefined {
  try {
    const url = new URL(name, import.meta.url);
    return existsSync(fileURLToPath(url)) && existsSync(fileURLToPath(workerStart())) ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The plain JavaScript module every worker starts from (it turns the compile cache on), beside this one. */
const workerStart = () => new URL('./worker-start.mjs', import.meta.url);

/** A worker thread running `file` (a worker file, or any module URL), started through `worker-start.mjs`. */
export function startWorker(file: URL, options: WorkerOptions): Worker {
  return new Worker(workerStart(), { ...options, argv: [file.href] });
}
