import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Transferable, Worker, type WorkerOptions } from 'node:worker_threads';

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

/**
 * A worker thread running `file` (a worker file, or any module URL), started through
 * `worker-start.mjs`: `warm`, given the options' data, when it was started beforehand and has
 * not been given any yet; else a new one.
 */
export function startWorker(file: URL, options: WorkerOptions, warm?: WarmWorker): Worker {
  return (
    warm?.give(options.workerData, options.transferList ?? []) ??
    new Worker(workerStart(), { ...options, argv: [file.href] })
  );
}

/**
 * A worker started before its work is known, so that it loads its modules while this thread
 * reads the cohort: `give` hands it its data (as its first message, which `worker-start.mjs`
 * waits for) the first time, and returns undefined after (the caller starts a worker of its
 * own) or once closed; `close` stops it if it was never given any. Never what keeps the process
 * alive.
 */
export interface WarmWorker {
  give(workerData: unknown, transferList: readonly Transferable[]): Worker | undefined;
  close(): void;
}

export function warmWorker(file: URL): WarmWorker {
  const worker = startWorker(file, {});
  worker.unref();
  // A worker that cannot start is found out by its user, which waits for it a while (or not
  // at all, when it is never given work): its error event must not end the process.
  worker.on('error', () => {});
  // Taken by `give` or by `close`, once.
  let taken = false;
  return {
    give(workerData, transferList) {
      if (taken) return undefined;
      taken = true;
      worker.postMessage(workerData, [...transferList]);
      return worker;
    },
    close() {
      if (taken) return;
      taken = true;
      void worker.terminate();
    },
  };
}
