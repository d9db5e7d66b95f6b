import { BidCaches, type BidSetting, type CacheArrays, cacheArrays, maxCacheSize } from './bid-caches.ts';
import { typedArray } from './typed-arrays.ts';

/**
 * Cost scaling's bids on two threads. Between two discharges of a mentor, mentees bid against
 * the same prices: a run of mentees at the head of cost scaling's queue (a *block*) bid
 * independently of each other (bid-caches.ts), and only attaching them to their mentors must
 * follow the queue's order. So this thread and a helper (solve-helper.ts) take the block's
 * mentees a chunk at a time, each working out the bids of its chunks into `choice`, and this
 * thread then attaches every mentee in the queue's order: the same flow and prices as one
 * thread bidding mentee after mentee, whichever thread worked out which bid.
 *
 * The two threads meet on `control`, in shared memory. A block is opened by storing its number
 * and its first free position in `claim` (after its mentees, length and ε are written), taken
 * chunk by chunk by compare-and-swap on `claim`, and closed (`claim` = `closed`) once `finished`
 * counts all its mentees. A chunk taken while the block is open stays open until that chunk
 * is finished, so the block's mentees and ε cannot change under the thread working it out.
 * Ending the board sets `ended` and `claim` (`boardEnded`).
 */
export interface BidBoard {
  setting: BidSetting;
  /** The open block's mentees, in the queue's order. */
  block: Int32Array;
  /** Per position of the block: the cache entry of the mentee's bid. */
  choice: Int32Array;
  /** Slots: `claim`, `length`, `finished`, `ended` (see above). */
  control: Int32Array;
  /** The open block's ε. */
  eps: Float64Array;
}

/** What cost scaling asks of a helper thread: to work out bids from this board until it is ended. */
export interface BidHelper {
  serve(board: BidBoard): void;
}

const claim = 0;
const length = 1;
const finished = 2;
const ended = 3;
const closed = -1;
const boardEnded = -2;
/** Positions take the claim's low bits; the block's number the bits above, against a stale compare-and-swap. */
const positionBits = 20;
const positionMask = (1 << positionBits) - 1;
const blockNumberMask = 0x3ff;
/**
 * Mentees a thread takes at a time: a quarter of what is left, from 2 to 16, so that neither
 * thread waits long for the other's last chunk, and a compare-and-swap is paid for. Measured
 * against 16 at a time from blocks of 16 (solving seconds, medians of 5 / 3 / 1 runs, twice):
 * `one-to-one` 2.41 and 2.14 → 2.10 and 2.13, one place at 170% 3.51 and 3.30 → 3.43 and
 * 3.33, `contention-50k` 27.3 and 24.2 → 24.5 and 23.8. Most bids in blocks of 1–3 are a
 * chain (a mentee pushed back bids, and pushes back another): they cannot be shared.
 */
const chunk = 16;
const minChunk = 2;
/** Blocks shorter than this are bid here alone. */
export const parallelBlockFrom = 4;
/** Checks of `claim` the helper spins through before sleeping on it: blocks often follow within microseconds. */
const spinsBeforeSleep = 4000;

/**
 * The shared memory of a solve's bids, made once and reused by each cost scaling call, so that
 * the helper, which only lets go of memory when it collects garbage (rarely: it makes little),
 * holds on to no memory of calls past: the candidate graph's arcs in buffers grown in place as
 * the graph widens, the node prices, a copy of the mentors' places, and caches of the largest
 * size cost scaling uses.
 */
export class BidSpace {
  readonly price: Float64Array;
  readonly capacity: Int32Array;
  readonly start: Int32Array;
  readonly cache: CacheArrays;
  readonly block: Int32Array;
  readonly choice: Int32Array;
  private readonly mentorBuffer: SharedArrayBuffer;
  private readonly costBuffer: SharedArrayBuffer;

  constructor(mentees: number, mentors: number, maxArcs: number) {
    this.price = typedArray(Float64Array, mentees + mentors + 1, true);
    this.capacity = typedArray(Int32Array, mentors, true);
    this.start = typedArray(Int32Array, mentees + 1, true);
    this.cache = cacheArrays(mentees, maxCacheSize, true);
    this.block = typedArray(Int32Array, mentees, true);
    this.choice = typedArray(Int32Array, mentees, true);
    this.mentorBuffer = new SharedArrayBuffer(0, { maxByteLength: 4 * maxArcs });
    this.costBuffer = new SharedArrayBuffer(0, { maxByteLength: 4 * maxArcs });
  }

  /** The candidate graph's arc arrays for `arcs` arcs, in the same memory as the last graph's (overwritten). */
  arcs(arcs: number): { mentor: Int32Array; cost: Int32Array } {
    for (const buffer of [this.mentorBuffer, this.costBuffer]) {
      if (buffer.byteLength < 4 * arcs) buffer.grow(4 * arcs);
    }
    return {
      mentor: new Int32Array(this.mentorBuffer, 0, arcs),
      cost: new Int32Array(this.costBuffer, 0, arcs),
    };
  }
}

/**
 * A board for one cost scaling call: in shared memory with `space` (the setting's arrays must
 * then be the space's), else for this thread alone.
 */
export function bidBoard(setting: BidSetting, space?: BidSpace): BidBoard {
  const shared = space !== undefined;
  const control = typedArray(Int32Array, 4, shared);
  control[claim] = closed;
  return {
    setting,
    block: space?.block ?? new Int32Array(setting.mentees),
    choice: space?.choice ?? new Int32Array(setting.mentees),
    control,
    eps: typedArray(Float64Array, 1, shared),
  };
}

/** Whether a helper thread can read `setting` without a copy: every array in shared memory, positions in the claim's bits. */
export function canShare(setting: BidSetting): boolean {
  const { graph, capacity, price, cache } = setting;
  const arrays = [graph.start, graph.mentor, graph.cost, capacity, price, ...Object.values(cache)];
  return (
    setting.mentees + chunk <= positionMask && arrays.every((a) => a.buffer instanceof SharedArrayBuffer)
  );
}

/** This thread's side of a board: works out blocks of bids, with the helper when it has joined. */
export class BlockBids {
  /** This thread's caches, which cost scaling also reads for its soft start. */
  readonly caches: BidCaches;
  private blocks = 0;
  /** Bids the helper has worked out so far. */
  helped = 0;
  readonly board: BidBoard;
  private readonly parallel: boolean;

  constructor(board: BidBoard, parallel: boolean) {
    this.board = board;
    this.parallel = parallel;
    this.caches = new BidCaches(board.setting);
  }

  /** Works out the bids of `board.block[0 .. count)` at `eps` into `board.choice`. */
  run(count: number, eps: number): void {
    const { block, choice, control } = this.board;
    if (!this.parallel || count < parallelBlockFrom) {
      for (let p = 0; p < count; p++) choice[p] = this.caches.choose(block[p] ?? 0, eps);
      return;
    }
    this.board.eps[0] = eps;
    Atomics.store(control, length, count);
    Atomics.store(control, finished, 0);
    this.blocks = (this.blocks + 1) & blockNumberMask;
    Atomics.store(control, claim, this.blocks << positionBits);
    Atomics.notify(control, claim);
    let here = 0;
    for (
      let taken = takeChunk(this.board, this.caches);
      taken > 0;
      taken = takeChunk(this.board, this.caches)
    )
      here += taken;
    // The helper's last chunk: a few dozen bids at most.
    while (Atomics.load(control, finished) < count) {}
    this.helped += count - here;
    Atomics.store(control, claim, closed);
  }

  /**
   * Lets the helper go: it returns to its other work. The claim changes too, so that a helper
   * about to sleep on it (having seen the board not yet ended) does not sleep through the end.
   */
  end(): void {
    Atomics.store(this.board.control, ended, 1);
    Atomics.store(this.board.control, claim, boardEnded);
    Atomics.notify(this.board.control, claim);
  }
}

/** The helper's side: works out the chunks it can take of each block until the board is ended. */
export function serveBids(board: BidBoard): void {
  const { control } = board;
  const caches = new BidCaches(board.setting);
  let spins = 0;
  while (Atomics.load(control, ended) === 0) {
    if (takeChunk(board, caches) > 0) {
      spins = 0;
      continue;
    }
    const seen = Atomics.load(control, claim);
    if (++spins < spinsBeforeSleep) continue;
    spins = 0;
    // Woken by the next block's opening or by the end; a claim that moved meanwhile returns at once.
    if (Atomics.load(control, ended) === 0) Atomics.wait(control, claim, seen);
  }
}

/** Takes a chunk of the open block and works out its bids: how many, 0 when there is nothing to take. */
function takeChunk(board: BidBoard, caches: BidCaches): number {
  const { control, block, choice } = board;
  for (;;) {
    const current = Atomics.load(control, claim);
    if (current === closed || current === boardEnded) return 0;
    const from = current & positionMask;
    const count = Atomics.load(control, length);
    if (from >= count) return 0;
    const take = Math.max(minChunk, Math.min(chunk, (count - from) >> 2));
    if (Atomics.compareExchange(control, claim, current, current + take) !== current) continue;
    const eps = board.eps[0] ?? 0;
    const to = Math.min(from + take, count);
    for (let p = from; p < to; p++) choice[p] = caches.choose(block[p] ?? 0, eps);
    Atomics.add(control, finished, to - from);
    return to - from;
  }
}
