import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { syntheticCohort } from '../../bench/synthetic-cohort.ts';
import { type EntryList, entryList } from '../../shared/matching/candidate-lists.ts';
import { sharedCursor } from '../../shared/matching/claims.ts';
import { freeRow, unmatchedRow } from '../../shared/matching/cost-scaling.ts';
import { defaultMatchingProgram } from '../../shared/matching/matching-program.ts';
import { rowLength, scoreAt, scoreTable } from '../../shared/matching/pair-scores.ts';
import { entryBase, pairCost, RowScans, type ScanSetting } from '../../shared/matching/row-scans.ts';
import { prepareMatching } from '../../shared/matching/run-matching.ts';
import { type SolveHelper, startSolveHelper, warmSolveHelper } from '../../shared/matching/solve-helper.ts';
import { type SolveOptions, solveMatching } from '../../shared/matching/solver.ts';
import { scoreRows, sharedTable } from '../support/score-table.ts';

/**
 * A random table in shared memory, as scoring leaves it (each row best score first, ties to
 * the lower mentor), with what the scans read beside it: potentials, a flow, candidate lists
 * and a set of rows. Potentials take a few values, costs and reduced costs tie often: which
 * of two equal bids a mentor keeps is where two threads could differ from one.
 */
const scanProblem = fc
  .record({ mentees: fc.integer({ min: 1, max: 30 }), mentors: fc.integer({ min: 1, max: 10 }) })
  .chain(({ mentees, mentors }) =>
    fc.record({
      mentors: fc.constant(mentors),
      rows: scoreRows(mentees, mentors),
      capacity: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: mentors, maxLength: mentors }),
      skip: fc.array(
        fc.integer({ min: 0, max: 7 }).map((x) => x === 0),
        { minLength: mentees, maxLength: mentees },
      ),
      pot: fc.array(fc.constantFrom(-1000, -350, 0, 50, 300, 700), {
        minLength: mentees + mentors + 1,
        maxLength: mentees + mentors + 1,
      }),
      assigned: fc.array(fc.integer({ min: -2, max: mentors - 1 }), {
        minLength: mentees,
        maxLength: mentees,
      }),
      listed: fc.array(fc.array(fc.integer({ min: 0, max: mentors - 1 }), { maxLength: 4 }), {
        minLength: mentees,
        maxLength: mentees,
      }),
      picked: fc.array(fc.boolean(), { minLength: mentees, maxLength: mentees }),
      count: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: mentees, maxLength: mentees }),
      slots: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: mentors, maxLength: mentors }),
      tolerance: fc.integer({ min: 0, max: 3 }),
      below: fc.oneof(fc.constant(Number.POSITIVE_INFINITY), fc.integer({ min: -500, max: 500 })),
    }),
  );

/** Candidate lists as the solver keeps them, from plain arrays of entries. */
function entryLists(rows: number[][], mentors: number): EntryList[] {
  return rows.map((row) => {
    const list = entryList(mentors);
    for (const entry of row) list.push(entry);
    return list;
  });
}

/** The lists' entries as plain arrays, to compare. */
const plain = (lists: readonly (EntryList | undefined)[]) => lists.map((list) => list?.toArray() ?? []);

describe('the scans of the score table on two threads', () => {
  it('find what one thread finds: the same mentees, lists and bidders, in the same order', () => {
    fc.assert(
      fc.property(scanProblem, (problem) => {
        const table = sharedTable(problem.rows, problem.mentors);
        const setting: ScanSetting = {
          table,
          capacity: Int32Array.from(problem.capacity),
          skip: Uint8Array.from(problem.skip, (s) => (s ? 1 : 0)),
          unitsPerTenth: 1,
          D: 1500,
        };
        const helper = startSolveHelper(setting, 8);
        expect(helper).toBeDefined();
        try {
          const one = new RowScans(setting, 8);
          // Claims of one mentee or row, so that the threads share even these short scans.
          const two = new RowScans(setting, 8, helper, { mentees: 1, rows: 1 });
          const pot = Float64Array.from(problem.pot);
          const assigned = Int32Array.from(problem.assigned);
          const rows = problem.picked.flatMap((picked, i) => (picked ? [i] : []));
          const count = rows.map((i) => problem.count[i] ?? 0);
          const lists = () =>
            entryLists(
              problem.listed.map((row) => row.map((j) => j * entryBase + 500)),
              problem.mentors,
            );
          const keepStart = new Int32Array(problem.mentors + 1);
          problem.slots.forEach((s, j) => {
            keepStart[j + 1] = (keepStart[j] ?? 0) + s;
          });

          expect(two.outside(pot, assigned, problem.tolerance)).toEqual(
            one.outside(pot, assigned, problem.tolerance),
          );
          expect(two.residual(pot, assigned)).toEqual(one.residual(pot, assigned));
          const [widenedOne, widenedTwo] = [lists(), lists()];
          one.widen(pot, rows, count, widenedOne);
          two.widen(pot, rows, count, widenedTwo);
          expect(plain(widenedTwo)).toEqual(plain(widenedOne));
          // The near widening: only pairs of reduced cost under the bound, the least of them.
          const [nearOne, nearTwo, unbounded] = [lists(), lists(), lists()];
          one.widen(pot, rows, count, nearOne, problem.below);
          two.widen(pot, rows, count, nearTwo, problem.below);
          expect(plain(nearTwo)).toEqual(plain(nearOne));
          one.widen(pot, rows, count, unbounded);
          const mentees = problem.rows.length;
          const reduced = (i: number, entry: number) => {
            const j = Math.floor(entry / entryBase);
            return pairCost(1)(entry - j * entryBase) + (pot[i] ?? 0) - (pot[mentees + j] ?? 0);
          };
          for (let i = 0; i < mentees; i++) {
            const before = problem.listed[i]?.length ?? 0;
            const added = (nearOne[i]?.toArray() ?? []).slice(before);
            expect(added.every((entry) => reduced(i, entry) < problem.below)).toBe(true);
            // The unbounded widening's picks under the bound, unless ties at its cut fell otherwise.
            const under = (unbounded[i]?.toArray() ?? [])
              .slice(before)
              .filter((entry) => reduced(i, entry) < problem.below);
            expect(added.length).toBeGreaterThanOrEqual(under.length);
          }
          const [biddersOne, biddersTwo] = [lists(), lists()];
          one.bidders(pot, rows, keepStart, problem.below, biddersOne);
          two.bidders(pot, rows, keepStart, problem.below, biddersTwo);
          expect(plain(biddersTwo)).toEqual(plain(biddersOne));
        } finally {
          helper?.close();
        }
      }),
      { numRuns: 40 },
    );
    // Each run starts a helper thread (about 0.1 s).
  }, 30_000);

  it('find what one thread finds where mentor numbers pass 16 bits (lists sent as 64-bit entries)', () => {
    const mentors = 70_003;
    const first = 70_000;
    const table = sharedTable(
      [
        [900, 700, null],
        [650, 1000, 300],
        [null, 700, 700],
        [800, 800, 800],
      ],
      mentors,
      first,
    );
    expect(table.mentor).toBeInstanceOf(Int32Array);
    const setting: ScanSetting = {
      table,
      capacity: new Int32Array(mentors).fill(1),
      skip: new Uint8Array(4),
      unitsPerTenth: 1,
      D: 1500,
    };
    const helper = startSolveHelper(setting, 4);
    try {
      const pot = new Float64Array(4 + mentors + 1);
      pot.set([-900, -950, -500, -300]);
      pot.set([0, -100, 0], 4 + first);
      const assigned = Int32Array.of(first + 1, first, first + 2, -1);
      const one = new RowScans(setting, 4);
      const two = new RowScans(setting, 4, helper);
      expect(two.outside(pot, assigned, 0)).toEqual(one.outside(pot, assigned, 0));
      expect(two.residual(pot, assigned)).toEqual(one.residual(pot, assigned));
      const lists = () =>
        entryLists([[(first + 1) * entryBase + 700], [], [], [first * entryBase + 800]], mentors);
      const [widenedOne, widenedTwo] = [lists(), lists()];
      one.widen(pot, [0, 1, 2, 3], [2, 2, 2, 2], widenedOne);
      two.widen(pot, [0, 1, 2, 3], [2, 2, 2, 2], widenedTwo);
      expect(plain(widenedTwo)).toEqual(plain(widenedOne));
      expect(widenedOne[3]?.length).toBeGreaterThan(1);
      const keepStart = Int32Array.from({ length: mentors + 1 }, (_, j) => Math.max(0, j - first));
      const [biddersOne, biddersTwo] = [lists(), lists()];
      one.bidders(pot, [0, 1, 2, 3], keepStart, Number.POSITIVE_INFINITY, biddersOne);
      two.bidders(pot, [0, 1, 2, 3], keepStart, Number.POSITIVE_INFINITY, biddersTwo);
      expect(plain(biddersTwo)).toEqual(plain(biddersOne));
    } finally {
      helper?.close();
    }
  });

  it('run on this thread, the same, when the helper cannot start', () => {
    const table = sharedTable(
      [
        [900, 700, null],
        [650, 1000, 300],
        [null, 700, 700],
      ],
      3,
    );
    const setting: ScanSetting = {
      table,
      capacity: Int32Array.of(1, 1, 1),
      skip: new Uint8Array(3),
      unitsPerTenth: 1,
      D: 1500,
    };
    const broken = new URL('data:text/javascript,throw new Error("cannot start")');
    const helper = startSolveHelper(setting, 4, { file: broken, startLimitMs: 200 });
    expect(helper).toBeDefined();
    try {
      // Mentee 2, whose row the helper would read, has a pair better than its own.
      const pot = Float64Array.of(-900, -950, -500, 0, -100, 0, 0);
      const assigned = Int32Array.of(1, 0, 2);
      const lists = () => entryLists([[], [], []], 3);
      const one = new RowScans(setting, 4);
      const two = new RowScans(setting, 4, helper);
      expect(one.outside(pot, assigned, 0)).toContain(2);
      expect(two.outside(pot, assigned, 0)).toEqual(one.outside(pot, assigned, 0));
      expect(two.residual(pot, assigned)).toEqual(one.residual(pot, assigned));
      const [widenedOne, widenedTwo] = [lists(), lists()];
      one.widen(pot, [0, 1, 2], [2, 2, 2], widenedOne);
      two.widen(pot, [0, 1, 2], [2, 2, 2], widenedTwo);
      expect(plain(widenedTwo)).toEqual(plain(widenedOne));
      expect(plain(widenedOne).flat().length).toBeGreaterThan(0);
    } finally {
      helper?.close();
    }
  });

  it('are left to this thread where the table is not in shared memory: scoring shares large cohorts’ only', () => {
    const { mentees, mentors } = syntheticCohort('contention', 40, 12, 3);
    const { table } = prepareMatching([...mentees, ...mentors], defaultMatchingProgram('2027-02-01'));
    expect(table.runScore.buffer).toBeInstanceOf(ArrayBuffer);
    const setting: ScanSetting = {
      table,
      capacity: new Int32Array(table.mentors).fill(2),
      skip: new Uint8Array(table.mentees),
      unitsPerTenth: 1,
      D: 1500,
    };
    const helper = startSolveHelper(setting, 8);
    try {
      // The helper still works out bids (parallel-bids.test.ts); the solver scans here.
      expect(helper?.sharesTable).toBe(false);
      expect(() =>
        helper?.start({
          kind: 'residual',
          pot: new Float64Array(0),
          assigned: new Int32Array(0),
          cursor: sharedCursor(),
          claim: 1,
        }),
      ).toThrow(/cannot share/);
    } finally {
      helper?.close();
    }
  });
});

describe('the scans shared by claims', () => {
  it('let both threads take part, and come out as one thread finds, whoever took which claim', () => {
    const { mentees, mentors } = syntheticCohort('contention', 1500, 500, 3);
    const prepared = prepareMatching([...mentees, ...mentors], defaultMatchingProgram('2027-02-01'), {
      scoreAllPairs: (model) => scoreTable(model, model.mentees.length, model.mentors.length, true),
    });
    const table = prepared.table;
    const n = table.mentees;
    const m = table.mentors;
    // Places for everyone, so that the proof's checks of mentors and exits hold.
    const setting: ScanSetting = {
      table,
      capacity: new Int32Array(m).fill(n),
      skip: new Uint8Array(n),
      unitsPerTenth: 1,
      D: 1500,
    };
    // Every third mentee on its second best mentor, the others on their best (or out), each
    // priced so that its own pair (or its exit) is tight: the third ones have a pair that beats theirs.
    const cost = pairCost(1);
    const own = (i: number) => (table.rowStart[i] ?? 0) + (i % 3 === 0 && rowLength(table, i) > 1 ? 1 : 0);
    const assigned = Int32Array.from({ length: n }, (_, i) =>
      rowLength(table, i) > 0 ? (table.mentor[own(i)] ?? 0) : unmatchedRow,
    );
    const pot = Float64Array.from({ length: n + m + 1 }, (_, x) =>
      x >= n ? 0 : rowLength(table, x) > 0 ? -cost(scoreAt(table, x, own(x))) : -setting.D,
    );
    const nowhere = assigned.with(700, freeRow);
    const rows = Array.from({ length: n }, (_, i) => i);
    const count = rows.map((i) => 1 + (i % 6));
    const one = new RowScans(setting, 8);
    const expected = {
      outside: one.outside(pot, assigned, 0),
      residual: one.residual(pot, assigned),
      // Mentee 700 placed nowhere: the proof stops there, with the violations before it.
      broken: one.residual(pot, nowhere),
      widened: plain(widened(one)),
      bidders: bidders(one),
    };
    expect(expected.residual.broken).toBeUndefined();
    expect(expected.residual.violated.length).toBeGreaterThan(100);
    expect(expected.broken.broken).toBe('mentee 700 placed nowhere');
    expect(expected.broken.violated.length).toBeGreaterThan(50);
    function widened(scans: RowScans) {
      const lists: (EntryList | undefined)[] = [];
      scans.widen(pot, rows, count, lists);
      return lists;
    }
    // Two places a mentor, and each mentee priced so that its best pair bids 0: a mentor's
    // bids tie, and the earlier rows win them. Rows last mentee first: the order that counts is
    // the rows', not the mentees'.
    function bidders(scans: RowScans) {
      const lists = rows.map(() => entryList(m));
      const keepStart = Int32Array.from({ length: m + 1 }, (_, j) => 2 * j);
      const best = Float64Array.from(pot, (p, x) =>
        x < n && rowLength(table, x) > 0 ? -cost(table.runScore[table.runStart[x] ?? 0] ?? 0) : p,
      );
      scans.bidders(best, rows.toReversed(), keepStart, Number.POSITIVE_INFINITY, lists);
      return plain(lists);
    }
    const helper = startSolveHelper(setting, 8);
    try {
      let helperWidened = 0;
      const counting: SolveHelper | undefined = helper && {
        ...helper,
        start(job) {
          const reply = helper.start(job);
          // The helper takes the first claim before this thread takes any: its part comes
          // first, so the join must put what each thread found back in order.
          const until = Date.now() + 10_000;
          while (Atomics.load(job.cursor, 0) === 0 && Date.now() < until) {}
          return () => {
            const got = reply();
            if ('done' in got) helperWidened += got.done.length;
            return got;
          };
        },
      };
      const two = new RowScans(setting, 8, counting, { mentees: 4, rows: 2 });
      for (let run = 0; run < 3; run++) {
        expect(two.outside(pot, assigned, 0)).toEqual(expected.outside);
        expect(two.residual(pot, assigned)).toEqual(expected.residual);
        expect(two.residual(pot, nowhere)).toEqual(expected.broken);
        expect(plain(widened(two))).toEqual(expected.widened);
        expect(bidders(two)).toEqual(expected.bidders);
      }
      expect(helperWidened).toBeGreaterThan(0);
      expect(helperWidened).toBeLessThan(3 * n);
    } finally {
      helper?.close();
    }
  });
});

describe('a solve whose scans run on two threads', () => {
  it('comes out as on one: the same pairs, rounds and candidates, through many rounds of widening', () => {
    const { mentees, mentors } = syntheticCohort('contention', 400, 140, 11);
    // Scored into shared memory, as a large cohort is, with few candidates to start.
    const prepared = prepareMatching([...mentees, ...mentors], defaultMatchingProgram('2027-02-01'), {
      scoreAllPairs: (model) => scoreTable(model, model.mentees.length, model.mentors.length, true),
    });
    // As on smaller cohorts, and with the large cohorts' widening by mentors and by near pairs
    // (which a cohort this small reaches only when every violation is widened, not repaired).
    for (const large of [false, true]) {
      const options: SolveOptions = {
        objective: 'participation',
        capacity: prepared.capacity,
        candidatesPerRow: 2,
        wideningByMentor: large,
        nearWidening: large,
        ...(large ? { repairLimit: 0 } : {}),
      };
      const one = solveMatching(prepared.table, options);
      let helpers = 0;
      const two = solveMatching(prepared.table, {
        ...options,
        solveHelper: (setting, widenLimit) => {
          const helper = startSolveHelper(setting, widenLimit);
          if (helper) helpers++;
          return helper;
        },
      });
      expect(helpers).toBeGreaterThan(0);
      expect(one.certificate.rounds).toBeGreaterThan(2);
      expect(two.certificate).toEqual(one.certificate);
      expect([...two.mentorOf]).toEqual([...one.mentorOf]);
      // With the helper's worker started beforehand, as `tandem match` starts it.
      const warm = warmSolveHelper();
      expect(warm).toBeDefined();
      const warmed = solveMatching(prepared.table, {
        ...options,
        solveHelper: (setting, widenLimit) => startSolveHelper(setting, widenLimit, { warm }),
      });
      expect(warmed.certificate).toEqual(one.certificate);
      expect([...warmed.mentorOf]).toEqual([...one.mentorOf]);
    }
  });
});
