import type { MessagePort } from 'node:worker_threads';
import {
  RowScorer,
  type ScoreTable,
  type ScoringArrays,
  SharedBlockWriter,
  type SharedTableArrays,
  SharedTableBlocks,
} from './pair-scores.ts';
import { ScoringBoard } from './scoring-board.ts';
import { buffersOf } from './typed-arrays.ts';

/** A worker thread of `scoreInParallel`: takes blocks of mentees from the shared board until none is left. */

export interface ScoreWorkerData {
  arrays: ScoringArrays;
  mentees: number;
  mentors: number;
  blockRows: number;
  board: Int32Array;
  workers: number;
  /** This worker's number on the board. */
  index: number;
  port: MessagePort;
  /** The cohort's table in shared memory, when the workers write their blocks into it themselves. */
  table?: SharedTableArrays;
}

/** A block scored (unless the worker writes its blocks into the table), or the error that stopped the worker. */
export type ScoreWorkerReply = { block: number; table: ScoreTable } | { error: string };

/** The worker's work (worker-start.mjs calls it with its data). */
export function run(data: ScoreWorkerData): void {
  const { arrays, mentees, mentors, blockRows, workers, index, port, ...shared } = data;
  const board = new ScoringBoard(shared.board, workers);
  const direct = shared.table ? new SharedTableBlocks(mentees, mentors, shared.table) : undefined;
  board.markStarted(index);
  try {
    const writer = direct ? new SharedBlockWriter(direct, arrays, mentors) : undefined;
    let scorer: RowScorer | undefined;
    board.takeBlocks(mentees, blockRows, (block, from, to) => {
      // Into the shared table, once the blocks before it are there.
      if (writer) {
        writer.score(block, from, to);
        return;
      }
      // Else posted as soon as it is scored: the scorer joins it and gives its memory back.
      scorer ??= new RowScorer(arrays, mentors);
      const table = scorer.scoreRows(from, to);
      const reply: ScoreWorkerReply = { block, table };
      const { rowStart, mentor, runStart, runEnd, runScore } = table;
      port.postMessage(reply, buffersOf([rowStart, mentor, runStart, runEnd, runScore]));
    });
    writer?.finish();
  } catch (error) {
    direct?.fail();
    const reply: ScoreWorkerReply = { error: error instanceof Error ? error.message : String(error) };
    port.postMessage(reply);
  }
  // Marked done after its last reply is posted, so the scorer finds every reply on the port.
  board.markDone(index);
}
