import { takeInTurns } from './claims.ts';

/**
 * What the threads scoring a cohort share (score-in-parallel.ts): the next block of mentees to
 * take, and per worker whether it has started and whether it is done. A worker marks itself
 * started before it takes a block, so once every block is taken, a worker not marked started
 * has taken none.
 */

/** Slots: the next block, then each worker's started flag, then each worker's done flag. */
export const boardSlots = (workers: number) => 1 + 2 * workers;

export class ScoringBoard {
  readonly slots: Int32Array;
  private readonly workers: number;

  constructor(slots: Int32Array, workers: number) {
    this.slots = slots;
    this.workers = workers;
  }

  /** Takes blocks of `blockRows` of the `rows` until none is left, and hands each (number, first row, end) to `score`. */
  takeBlocks(
    rows: number,
    blockRows: number,
    score: (block: number, from: number, to: number) => void,
  ): void {
    takeInTurns(this.slots, rows, blockRows, (from, to, block) => {
      score(block, from, to);
      return true;
    });
  }

  markStarted(worker: number): void {
    Atomics.store(this.slots, 1 + worker, 1);
  }

  started(worker: number): boolean {
    return Atomics.load(this.slots, 1 + worker) === 1;
  }

  markDone(worker: number): void {
    Atomics.store(this.slots, 1 + this.workers + worker, 1);
    Atomics.notify(this.slots, 1 + this.workers + worker);
  }

  /** Blocks this thread until the worker is done. */
  awaitDone(worker: number): void {
    while (Atomics.load(this.slots, 1 + this.workers + worker) === 0) {
      Atomics.wait(this.slots, 1 + this.workers + worker, 0);
    }
  }

  /** Blocks this thread until every block is taken, or until no worker has started within `limitMs`. */
  awaitAllTaken(blocks: number, limitMs: number): void {
    const since = Date.now();
    while (Atomics.load(this.slots, 0) < blocks) {
      const anyStarted = Array.from({ length: this.workers }, (_, w) => this.started(w)).includes(true);
      if (!anyStarted && Date.now() - since > limitMs) return;
      Atomics.wait(this.slots, 0, Atomics.load(this.slots, 0), 5);
    }
  }
}
