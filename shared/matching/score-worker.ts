import { type MessagePort, workerData } from 'node:worker_threads';
import { type ScoreTable, type ScoringArrays, scoreRows } from './pair-scores.ts';
import { ScoringBoard } from './scoring-board.ts';

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
}

export interface ScoredBlock {
  block: number;
  table: ScoreTable;
}

export type ScoreWorkerReply = { blocks: ScoredBlock[] } | { error: string };

const { arrays, mentees, mentors, blockRows, workers, index, port, ...shared } =
  workerData as ScoreWorkerData;
const board = new ScoringBoard(shared.board, workers);
board.markStarted(index);
let reply: ScoreWorkerReply;
const transfer: ArrayBuffer[] = [];
try {
  const blocks: ScoredBlock[] = [];
  board.takeBlocks(mentees, blockRows, (b, from, to) => {
    const table = scoreRows(arrays, mentors, from, to);
    blocks.push({ block: b, table });
    transfer.push(
      table.rowStart.buffer as ArrayBuffer,
      table.mentor.buffer as ArrayBuffer,
      table.score.buffer as ArrayBuffer,
    );
  });
  reply = { blocks };
} catch (error) {
  reply = { error: error instanceof Error ? error.message : String(error) };
  transfer.length = 0;
}
// Posted before it is marked done, so the reply is on the port when the scorer reads it.
port.postMessage(reply, transfer);
board.markDone(index);
