import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticCohort } from '../../bench/synthetic-cohort.ts';
import { BidCaches, type BidSetting, cacheArrays } from '../../shared/matching/bid-caches.ts';
import { defaultMatchingProgram } from '../../shared/matching/matching-program.ts';
import { BidSpace, BlockBids, bidBoard, parallelBlockFrom } from '../../shared/matching/parallel-bids.ts';
import type { ScanSetting } from '../../shared/matching/row-scans.ts';
import { prepareMatching } from '../../shared/matching/run-matching.ts';
import { type SolveHelper, startSolveHelper } from '../../shared/matching/solve-helper.ts';
import { type SolveOptions, solveMatching } from '../../shared/matching/solver.ts';

/** A helper that only bids: its table (none to speak of) is not in shared memory. */
function bidsOnlyHelper(file?: URL): SolveHelper {
  const setting: ScanSetting = {
    table: {
      mentees: 0,
      mentors: 0,
      rowStart: new Int32Array(1),
      mentor: new Uint16Array(0),
      runStart: new Int32Array(1),
      runEnd: new Int32Array(0),
      runScore: new Uint16Array(0),
    },
    capacity: new Int32Array(0),
    skip: new Uint8Array(0),
    unitsPerTenth: 1,
    D: 1,
  };
  const helper = startSolveHelper(setting, 0, file ? { file } : {});
  if (!helper) throw new Error('no helper');
  expect(helper.sharesTable).toBe(false);
  return helper;
}

/** Whole numbers below a bound, the same for the same seed: graphs of thousands of arcs, drawn fast. */
function numbers(seed: number) {
  const rng = xoroshiro128plus(seed);
  return (below: number) => uniformInt(rng, 0, below - 1);
}

/**
 * Mentees' arcs to mentors, with costs and prices from a few values (ties everywhere: which of
 * two equal options a bid takes is where two threads could differ from one), some mentors
 * without places, and a few blocks of mentees, with mentor prices falling between blocks as
 * discharges would lower them.
 */
const bidProblem = fc.record({
  seed: fc.integer(),
  mentees: fc.integer({ min: parallelBlockFrom, max: 1500 }),
  mentors: fc.integer({ min: 1, max: 60 }),
  arcsEach: fc.integer({ min: 0, max: 40 }),
  cacheSize: fc.constantFrom(1, 2, 3, 8),
  scale: fc.constantFrom(1, 7),
  blocks: fc.integer({ min: 1, max: 4 }),
});

type Problem = typeof bidProblem extends fc.Arbitrary<infer T> ? T : never;

/** The problem's setting twice: in `space` (for two threads), and in ordinary memory (for one). */
function settings(problem: Problem, space: BidSpace): [BidSetting, BidSetting] {
  const draw = numbers(problem.seed);
  const { mentees: n, mentors: m, cacheSize, scale } = problem;
  const start = space.start;
  const mentor: number[] = [];
  const cost: number[] = [];
  const mentors = Array.from({ length: m }, (_, j) => j);
  for (let i = 0; i < n; i++) {
    start[i] = mentor.length;
    // Distinct mentors, as a mentee's candidates are: the first few of a partial shuffle.
    const arcs = draw(Math.min(problem.arcsEach, m) + 1);
    for (let a = 0; a < arcs; a++) {
      const b = a + draw(m - a);
      [mentors[a], mentors[b]] = [mentors[b] ?? 0, mentors[a] ?? 0];
      mentor.push(mentors[a] ?? 0);
      cost.push([0, 3, 5, 10][draw(4)] ?? 0);
    }
  }
  start[n] = mentor.length;
  const arcs = space.arcs(mentor.length);
  arcs.mentor.set(mentor);
  arcs.cost.set(cost);
  for (let j = 0; j < m; j++) space.capacity[j] = draw(4) === 0 ? 0 : 1 + draw(2);
  space.price.fill(0);
  for (let j = 0; j < m; j++) space.price[n + j] = [0, -5, -10, -21][draw(4)] ?? 0;
  space.price[n + m] = [0, -7][draw(2)] ?? 0;
  space.cache.filled.fill(0);
  const shared: BidSetting = {
    graph: { start: space.start.subarray(0, n + 1), ...arcs },
    capacity: space.capacity,
    price: space.price,
    mentees: n,
    mentors: m,
    scale,
    dummyValue: 12 * scale,
    cacheSize,
    cache: space.cache,
  };
  const local: BidSetting = {
    ...shared,
    graph: {
      start: Int32Array.from(shared.graph.start),
      mentor: Int32Array.from(mentor),
      cost: Int32Array.from(cost),
    },
    capacity: Int32Array.from(space.capacity.subarray(0, m)),
    price: Float64Array.from(space.price.subarray(0, n + m + 1)),
    cache: cacheArrays(n, cacheSize, false),
  };
  return [shared, local];
}

describe("cost scaling's bids on two threads", () => {
  let helper: SolveHelper;
  beforeAll(async () => {
    helper = bidsOnlyHelper();
    // The helper's thread loads its modules before the first board is sent.
    await sleep(500);
  });
  afterAll(() => helper.close());

  it('are the bids one thread makes: the same options, prices and caches', () => {
    const space = new BidSpace(1500, 60, 1500 * 40);
    let helped = 0;
    let blocks = 0;
    fc.assert(
      fc.property(bidProblem, (problem) => {
        const [shared, local] = settings(problem, space);
        const bids = new BlockBids(bidBoard(shared, space), true);
        helper.serve(bids.board);
        const alone = new BidCaches(local);
        const draw = numbers(problem.seed ^ 0x5bd1e995);
        const { mentees: n, mentors: m, cacheSize } = problem;
        try {
          for (let b = 0; b < problem.blocks; b++) {
            // A block: distinct mentees, in no particular order.
            const order = Array.from({ length: n }, (_, i) => i).sort(() => draw(3) - 1);
            const count = parallelBlockFrom + draw(n - parallelBlockFrom + 1);
            bids.board.block.set(order.slice(0, count));
            const eps = 1 + draw(4);
            bids.run(count, eps);
            // As cost scaling takes them: at once, not after the helper has had more time.
            const choice = Int32Array.from(bids.board.choice.subarray(0, count));
            blocks++;
            for (let p = 0; p < count; p++) {
              const i = order[p] ?? 0;
              const e = choice[p] ?? 0;
              const f = alone.choose(i, eps);
              expect([shared.cache.node[e], shared.cache.scaled[e], shared.price[i]]).toEqual([
                local.cache.node[f],
                local.cache.scaled[f],
                local.price[i],
              ]);
            }
            // What a discharge does between blocks: some mentors' prices fall.
            for (let j = 0; j < m; j++) {
              if (draw(3) === 0) {
                const lower = (shared.price[n + j] ?? 0) - draw(9);
                shared.price[n + j] = lower;
                local.price[n + j] = lower;
              }
            }
          }
          const entries = n * cacheSize;
          expect([...shared.cache.filled.subarray(0, n)]).toEqual([...local.cache.filled]);
          for (let i = 0; i < n; i++) {
            if (!local.cache.filled[i]) continue;
            expect([shared.cache.count[i], shared.cache.bound[i]]).toEqual([
              local.cache.count[i],
              local.cache.bound[i],
            ]);
            const from = i * cacheSize;
            const to = from + (local.cache.count[i] ?? 0);
            expect([...shared.cache.node.subarray(from, to)]).toEqual([
              ...local.cache.node.subarray(from, to),
            ]);
            expect([...shared.cache.scaled.subarray(from, to)]).toEqual([
              ...local.cache.scaled.subarray(from, to),
            ]);
          }
          expect(entries).toBeLessThanOrEqual(space.cache.node.length);
        } finally {
          bids.end();
          helped += bids.helped;
        }
      }),
      { numRuns: 60 },
    );
    // Else this test proves nothing of two threads.
    expect(blocks).toBeGreaterThan(60);
    expect(helped).toBeGreaterThan(0);
  });
});

describe("a placed mentee's values from its bid cache (cost scaling's soft start)", () => {
  it('are what a scan of its arcs finds, whenever the cache says it can tell', () => {
    const space = new BidSpace(1500, 60, 1500 * 40);
    let told = 0;
    fc.assert(
      fc.property(bidProblem, (problem) => {
        const [, local] = settings(problem, space);
        const caches = new BidCaches(local);
        const draw = numbers(problem.seed ^ 0x1b873593);
        const { mentees: n, mentors: m } = problem;
        const sink = n + m;
        const { start, mentor, cost } = local.graph;
        for (let round = 0; round < problem.blocks; round++) {
          for (let i = 0; i < n; i++) if (draw(2) === 0) caches.choose(i, 1 + draw(4));
          for (let j = 0; j < m; j++) {
            if (draw(3) === 0) local.price[n + j] = (local.price[n + j] ?? 0) - draw(9);
          }
          if (draw(4) === 0) local.price[sink] = (local.price[sink] ?? 0) - draw(9);
          for (let i = 0; i < n; i++) {
            // Its own option: one of its mentors, or its exit.
            const arcs = (start[i + 1] ?? 0) - (start[i] ?? 0);
            const k = (start[i] ?? 0) + draw(arcs + 1);
            const own = k < (start[i + 1] ?? 0) ? n + (mentor[k] ?? 0) : sink;
            if (!caches.placedValues(i, own)) continue;
            told++;
            // Every option with room, scanned.
            const values = new Map<number, number>([[sink, local.dummyValue - (local.price[sink] ?? 0)]]);
            for (let a = start[i] ?? 0; a < (start[i + 1] ?? 0); a++) {
              const j = mentor[a] ?? 0;
              if ((local.capacity[j] ?? 0) > 0)
                values.set(n + j, (cost[a] ?? 0) * local.scale - (local.price[n + j] ?? 0));
            }
            const others = [...values].filter(([node]) => node !== own).map(([, value]) => value);
            expect([caches.current, caches.alternative]).toEqual([values.get(own), Math.min(...others)]);
          }
        }
      }),
      { numRuns: 60 },
    );
    expect(told).toBeGreaterThan(1000);
  });
});

describe('a solve whose bids are worked out on two threads', () => {
  const { mentees, mentors } = syntheticCohort('contention', 400, 140, 11);
  const prepared = prepareMatching([...mentees, ...mentors], defaultMatchingProgram('2027-02-01'));
  const options: SolveOptions = {
    objective: 'participation',
    capacity: prepared.capacity,
    candidatesPerRow: 2,
  };
  const one = solveMatching(prepared.table, options);

  it('comes out as on one: the same pairs, rounds and candidates, through many rounds', () => {
    let boards = 0;
    const two = solveMatching(prepared.table, {
      ...options,
      solveHelper: () => {
        const helper = bidsOnlyHelper();
        return {
          ...helper,
          serve: (board) => {
            boards++;
            helper.serve(board);
          },
        };
      },
    });
    expect(boards).toBeGreaterThan(2);
    expect(one.certificate.rounds).toBeGreaterThan(2);
    expect(two.certificate).toEqual(one.certificate);
    expect([...two.mentorOf]).toEqual([...one.mentorOf]);
  });

  it('comes out as on one when the helper cannot start: this thread takes every bid', () => {
    const broken = new URL('data:text/javascript,throw new Error("no helper today")');
    const two = solveMatching(prepared.table, { ...options, solveHelper: () => bidsOnlyHelper(broken) });
    expect(two.certificate).toEqual(one.certificate);
    expect([...two.mentorOf]).toEqual([...one.mentorOf]);
  });
});
