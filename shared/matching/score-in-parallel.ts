import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort, receiveMessageOnPort, type Worker } from 'node:worker_threads';
import {
  blockRows,
  RowScorer,
  type ScoreTable,
  SharedBlockWriter,
  SharedTableBlocks,
  scoreTable,
  sharedRoom,
  sharedTable,
  TableInBlocks,
  topicMentorsOf,
} from './pair-scores.ts';
import type { ScoreWorkerData, ScoreWorkerReply } from './score-worker.ts';
import { type ScoringModel, scoringArrays } from './scoring.ts';
import { boardSlots, ScoringBoard } from './scoring-board.ts';
import { startWorker, type WarmWorker, warmWorker, workerFile } from './worker-threads.ts';

/**
 * Scores every pair of a cohort on several threads: the same table as `scoreTable` on one.
 *
 * Rows are independent, so the mentees are cut into blocks and every thread (this one and the
 * workers) takes the next block from a shared counter until none is left: a worker that
 * starts late, or a thread that is slowed, simply takes fewer blocks. The blocks are joined
 * in mentee order as they come (`TableInBlocks`). The call stays synchronous, as matching is:
 * this thread scores its blocks, then waits on the counter's flag for the workers and reads
 * their blocks off their ports.
 *
 * For the CLI and the benchmark, not for Lambda: a bundled function has no worker file, and
 * `prepareMatching` scores on one thread unless it is given this scorer.
 */

/**
 * Pairs scoring looks at (`pairsToLookAt`) from which a worker is worth its start (about 50 ms
 * to load its module and warm up). Measured on the bench's cohorts (single runs, scoring
 * seconds, one thread → two): one-to-one (19.7 million pairs looked at) 0.79 → 0.59,
 * uniform-50k (99 million) 4.21 → 2.78, but uniform-10k (3.9 million) 0.26 → 0.26.
 */
const parallelFromPairs = 8_000_000;
/** Workers at most, whatever the machine has: scoring soon waits on memory rather than cores. */
const maxWorkers = 3;

export interface ParallelScoring {
  /** Threads in all, this one included (default: the machine's cores); 1 scores on this thread. */
  threads?: number;
  /** Mentee × mentor pairs from which workers start (default `parallelFromPairs`); tests set 0. */
  fromPairs?: number;
  /** Whether this thread scores blocks too (default true); tests set false so that the workers score them all. */
  here?: boolean;
  /** Whether the table is made in shared memory (default: `sharedTable`); tests set it both ways. */
  shared?: boolean;
  /** Workers started beforehand (`warmScoringWorkers`), taken before any new one is started. */
  warm?: readonly WarmWorker[];
}

/**
 * The scoring workers `scoreInParallel` will want, started now, before the cohort is read: a
 * worker takes 110–140 ms to start on this project's machine (its thread, its modules), which
 * the command's thread otherwise spends scoring alone. The caller closes those never used.
 */
export function warmScoringWorkers(threads = availableParallelism()): WarmWorker[] {
  const file = workerFile('./score-worker.ts');
  const count = Math.min(maxWorkers, threads - 1);
  return file ? Array.from({ length: Math.max(0, count) }, () => warmWorker(file)) : [];
}

export function scoreInParallel(model: ScoringModel, options: ParallelScoring = {}): ScoreTable {
  const n = model.mentees.length;
  const m = model.mentors.length;
  const workerCount = Math.min(maxWorkers, (options.threads ?? availableParallelism()) - 1);
  const file = workerFile('./score-worker.ts');
  const lookedAt = pairsToLookAt(model);
  if (workerCount < 1 || !file || lookedAt < (options.fromPairs ?? parallelFromPairs))
    return scoreTable(model, n, m);

  const blocks = Math.ceil(n / blockRows);
  const board = new ScoringBoard(
    new Int32Array(new SharedArrayBuffer(4 * boardSlots(workerCount))),
    workerCount,
  );
  const arrays = scoringArrays(model);
  // In shared memory, each thread writes the blocks it scores into the table itself, where the
  // table cannot outgrow the room it is made with; elsewhere this thread joins them.
  const shared = options.shared ?? sharedTable(n, lookedAt);
  const room = shared ? sharedRoom(arrays, n, m) : undefined;
  const direct =
    room === undefined ? undefined : new SharedTableBlocks(n, m, SharedTableBlocks.arraysFor(n, m, room));
  const workers: { worker: Worker; port: MessagePort }[] = [];
  for (let w = 0; w < workerCount; w++) {
    const { port1, port2 } = new MessageChannel();
    const workerData: ScoreWorkerData = {
      arrays,
      mentees: n,
      mentors: m,
      blockRows,
      board: board.slots,
      workers: workerCount,
      index: w,
      port: port2,
      ...(direct ? { table: direct.arrays } : {}),
    };
    const worker = startWorker(file, { workerData, transferList: [port2] }, options.warm?.[w]);
    workers.push({ worker, port: port1 });
  }
  const table: SharedTableBlocks | TableInBlocks =
    direct ?? new TableInBlocks(arrays, n, m, undefined, shared);
  // Into the shared table, a block is placed from the scorer's room (`SharedBlockWriter`); else
  // this thread joins it with the workers' blocks.
  const writer = direct ? new SharedBlockWriter(direct, arrays, m) : undefined;
  let scorer: RowScorer | undefined;
  const takeReplies = (port: MessagePort) => {
    for (let message = receiveMessageOnPort(port); message; message = receiveMessageOnPort(port)) {
      const reply = message.message as ScoreWorkerReply;
      if ('error' in reply) throw new Error(`scoring: a worker failed: ${reply.error}`);
      table.add(reply.block, reply.table);
    }
  };
  try {
    if (!(options.here ?? true)) board.awaitAllTaken(blocks, workerStartLimitMs);
    board.takeBlocks(n, blockRows, (b, from, to) => {
      if (writer) writer.score(b, from, to);
      else {
        scorer ??= new RowScorer(arrays, m);
        table.add(b, scorer.scoreRows(from, to));
      }
      // The workers' blocks are joined while this thread scores, so few wait.
      for (const { port } of workers) takeReplies(port);
    });
    writer?.finish();
    // Every block is taken now. A worker that had not started by then took none: it is not
    // waited for. A worker that started posts each block as it is scored, or its error, then
    // marks itself done; only a thread killed outright (out of memory) would leave this one
    // waiting.
    workers.forEach(({ port }, w) => {
      if (!board.started(w)) return;
      board.awaitDone(w);
      takeReplies(port);
    });
  } catch (error) {
    // Workers waiting for a block of this thread's would wait forever: they are let go first.
    direct?.fail();
    // A block another thread abandoned: that thread's own error says why.
    for (const { port } of workers) takeReplies(port);
    throw error;
  } finally {
    for (const { worker, port } of workers) {
      port.close();
      void worker.terminate();
    }
  }
  return table.done();
}

/**
 * The pairs scoring will look at: with a shared topic required, each mentee's mentors of
 * each of its topics (a mentor of two shared topics counted twice), else every pair. What
 * scoring costs depends on this, not on mentees × mentors: a cohort whose mentees and mentors
 * all share a broad topic scores every pair of a 10,000 × 3,400 cohort, one whose topics are
 * spread a tenth of them.
 */
export function pairsToLookAt(model: ScoringModel): number {
  const n = model.mentees.length;
  if (!model.params.requireSharedTopic) return n * model.mentors.length;
  let pairs = 0;
  for (let i = 0; i < n; i++) pairs += topicMentorsOf(model, i);
  return pairs;
}

/** How long this thread waits for a worker to start before it scores the blocks itself (`here: false`). */
const workerStartLimitMs = 10_000;
