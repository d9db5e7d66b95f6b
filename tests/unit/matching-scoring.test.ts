import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { syntheticCohort } from '../../bench/synthetic-cohort.ts';
import type { Application } from '../../shared/applications/application-schema.ts';
import { defaultMatchingProgram, type MatchingProgram } from '../../shared/matching/matching-program.ts';
import {
  bestFirstRows,
  blockRows,
  evaluatePair,
  pairCount,
  RowScoreReader,
  RowScorer,
  reasonOfCode,
  roundHalfUp,
  type ScoreTable,
  SharedBlockWriter,
  SharedTableBlocks,
  scoreAt,
  scoreColumn,
  sharedTable,
  sharedTableFromMentees,
  sharedTableFromPairs,
  stepsAheadFit,
  TableInBlocks,
  tableOfScores,
} from '../../shared/matching/pair-scores.ts';
import { runMatching } from '../../shared/matching/run-matching.ts';
import {
  pairsToLookAt,
  scoreInParallel,
  warmScoringWorkers,
} from '../../shared/matching/score-in-parallel.ts';
import {
  buildScoringModel,
  pairFlags,
  scoreAllPairs,
  sharedTopicIds,
  sharedTopicWeight,
  sharedTopicWeights,
  workingHoursOverlap,
} from '../../shared/matching/scoring.ts';
import { normalizeTopic, synonymIndex, topicKey } from '../../shared/matching/topics.ts';
import { person } from '../support/applications.ts';

const program = defaultMatchingProgram('2027-02-01');

/** The score (tenths) or the reason one mentee and one mentor cannot be paired, among `others`. */
function scorePair(mentee: Application, mentor: Application, others: Application[] = [], settings = program) {
  const mentees = [mentee, ...others.filter((a) => a.role === 'mentee')];
  const mentors = [mentor, ...others.filter((a) => a.role === 'mentor')];
  const model = buildScoringModel(mentees, mentors, settings);
  const value = evaluatePair(model, 0, 0, sharedTopicWeight(model, 0, 0), pairFlags(model, 0, 0));
  return value < 0 ? reasonOfCode(value) : value / 10;
}

const mentee = person({ email: 'tom@example.com', role: 'mentee', years_experience: 2 });
const mentorWith = (years: number, fields: Partial<Application> = {}) =>
  person({ email: `m${years}@example.com`, role: 'mentor', years_experience: years, ...fields });

describe('a few steps ahead', () => {
  it('is ineligible when the mentor is not ahead at all', () => {
    expect(scorePair(mentee, mentorWith(2))).toBe('not-ahead');
    expect(scorePair(mentee, mentorWith(1))).toBe('not-ahead');
  });

  it('is best for a lead of 2 to 6 years and lower for a smaller or much larger one', () => {
    const lead = (years: number) => stepsAheadFit(years, program.matching.idealLead);
    expect([2, 3, 4, 5, 6].map(lead)).toEqual([1, 1, 1, 1, 1]);
    expect(lead(1)).toBeLessThan(1);
    expect(lead(0.5)).toBeLessThan(lead(1));
    expect(lead(15)).toBeLessThan(lead(4));
    expect(lead(10)).toBeGreaterThan(lead(15));
  });

  it('does not make the most senior mentor the best: 4 years ahead beats 15', () => {
    const few = scorePair(mentee, mentorWith(6));
    const many = scorePair(mentee, mentorWith(17));
    expect(typeof few).toBe('number');
    expect(few).toBeGreaterThan(many as number);
  });

  it('follows the program: a wider ideal lead makes 12 years ahead ideal too', () => {
    const wide: MatchingProgram = {
      ...program,
      matching: { ...program.matching, idealLead: { min: 2, max: 12 } },
    };
    expect(scorePair(mentee, mentorWith(14), [], wide)).toBe(scorePair(mentee, mentorWith(6), [], wide));
  });
});

describe('relevant experience', () => {
  it('matches topics across case, punctuation, plurals and synonyms', () => {
    const index = synonymIndex();
    expect(normalizeTopic('Data-Engineering!')).toBe(normalizeTopic('data engineering'));
    expect(topicKey('Dashboards', index)).toBe(topicKey('dashboard', index));
    expect(topicKey('ML', index)).toBe(topicKey('Machine Learning', index));
    expect(topicKey('Visualisation', index)).toBe(topicKey('data visualization', index));
    expect(topicKey('viz', index)).toBe(topicKey('Data Visualizations', index));
    expect(topicKey('AWS', index)).not.toBe(topicKey('aw', index));
    expect(topicKey('python', index)).not.toBe(topicKey('machine learning', index));
  });

  it("adds the program's own synonyms to Tandem's", () => {
    expect(topicKey('charts', synonymIndex({ 'data visualization': ['charts'] }))).toBe(
      topicKey('viz', synonymIndex()),
    );
  });

  it('scores a synonym like the same word', () => {
    const learner = person({ email: 'a@example.com', role: 'mentee', topics: ['ML'], years_experience: 1 });
    const same = scorePair(learner, mentorWith(5, { topics: ['machine learning'] }));
    const alias = scorePair(learner, mentorWith(5, { topics: ['Machine-Learning'] }));
    expect(same).toBe(alias);
    expect(scorePair(learner, mentorWith(5, { topics: ['cooking'] }))).toBe('no-shared-topic');
  });

  it('counts a rare shared topic more than a common one', () => {
    const learner = person({
      email: 'a@example.com',
      role: 'mentee',
      topics: ['sql', 'dbt'],
      years_experience: 1,
    });
    // Everyone else knows SQL; only one mentor knows dbt.
    const crowd = Array.from({ length: 6 }, (_, k) =>
      person({
        email: `c${k}@example.com`,
        role: k % 2 ? 'mentor' : 'mentee',
        topics: ['sql'],
        years_experience: 9,
      }),
    );
    const rare = scorePair(learner, mentorWith(5, { topics: ['dbt'] }), crowd);
    const common = scorePair(learner, mentorWith(5, { topics: ['sql'] }), crowd);
    expect(rare).toBeGreaterThan(common as number);
  });
});

describe('practicalities, preferences and exclusions', () => {
  it('scores working-hours overlap across time zones', () => {
    const hours = { start: 9, end: 17 };
    expect(workingHoursOverlap(60, 60, hours)).toBe(8);
    expect(workingHoursOverlap(60, -5 * 60, hours)).toBe(2);
    expect(workingHoursOverlap(9 * 60, -5 * 60, hours)).toBe(0);
    const far = scorePair(mentee, mentorWith(6, { timezone: 'Pacific/Auckland' }));
    const near = scorePair(mentee, mentorWith(6, { timezone: 'Europe/Paris' }));
    expect(near).toBeGreaterThan(far as number);
  });

  it('needs a shared language when the program says so', () => {
    const german = mentorWith(6, { languages: ['german'] });
    expect(scorePair(mentee, german)).toBe('no-shared-language');
    const relaxed = { ...program, matching: { ...program.matching, requireSharedLanguage: false } };
    expect(typeof scorePair(mentee, german, [], relaxed)).toBe('number');
  });

  it('gives a bonus to a mentor the mentee asked for', () => {
    const plain = scorePair(mentee, mentorWith(9));
    const asked = scorePair({ ...mentee, preferred: ['m9@example.com'] }, mentorWith(9));
    expect(asked).toBe(Math.min(100, (plain as number) + program.matching.preferredBonus));
  });

  it('never pairs people who asked to avoid each other, or colleagues', () => {
    expect(scorePair({ ...mentee, avoid: ['m6@example.com'] }, mentorWith(6))).toBe('avoid');
    expect(scorePair(mentee, mentorWith(6, { avoid: ['tom@example.com'] }))).toBe('avoid');
    const colleague = mentorWith(6, { organization: 'Contoso, Inc.' });
    expect(scorePair({ ...mentee, organization: 'contoso inc' }, colleague)).toBe('same-organization');
    const open = { ...program, exclusions: [] };
    expect(typeof scorePair({ ...mentee, organization: 'contoso inc' }, colleague, [], open)).toBe('number');
  });

  it('drops pairs below the minimum score', () => {
    const strict = { ...program, matching: { ...program.matching, minScore: 99 } };
    expect(scorePair(mentee, mentorWith(17, { timezone: 'Pacific/Auckland' }), [], strict)).toBe(
      'below-min-score',
    );
  });

  it('never repeats an earlier partner on a rematch', () => {
    const mentor = mentorWith(6);
    const first = runMatching([mentee, mentor], program);
    expect(first.pairs).toHaveLength(1);
    const rematch = runMatching([mentee, mentor], program, {
      previousPartners: [{ mentee: mentee.email, mentor: mentor.email }],
    });
    expect(rematch.pairs).toHaveLength(0);
    expect(rematch.unmatched[0]?.reason).toBe('no eligible mentor: 1 earlier partner');
  });
});

describe('rounding a score to tenths', () => {
  it('rounds as Math.round does, halves up, on every score a sum can make', () => {
    const edges = [0, 0.49999999999999994, 0.5, 1.5 - 2 ** -52, 1.5, 2.5, 511.5, 999.4999999999999, 1000];
    for (const x of edges) expect(roundHalfUp(x), String(x)).toBe(Math.round(x));
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1000, noNaN: true }), (x) => roundHalfUp(x) === Math.round(x)),
      { numRuns: 20_000 },
    );
    // Near the halves, where rounding could go either way.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), fc.integer({ min: -64, max: 64 }), (k, ulps) => {
        const x = k + 0.5 + ulps * 2 ** -43;
        return roundHalfUp(x) === Math.round(x);
      }),
    );
  });
});

/** Two tables' scores are the same: the same runs, each row's runs as long as can be (see the runs' tests). */
function expectSameScores(table: ScoreTable, expected: ScoreTable): void {
  expect([...table.runStart]).toEqual([...expected.runStart]);
  expect([...table.runEnd]).toEqual([...expected.runEnd]);
  expect([...table.runScore]).toEqual([...expected.runScore]);
}

describe("the score table's runs of equal scores", () => {
  // Rows of a few score values, in any order, so that runs of equal scores are many and short or long.
  const columns = fc
    .array(fc.array(fc.constantFrom(0, 350, 351, 700, 1000), { maxLength: 14 }), { maxLength: 9 })
    .map((rows) => {
      const score = Uint16Array.from(rows.flat());
      const rowStart = Int32Array.from([0, ...rows.map((_, i) => rows.slice(0, i + 1).flat().length)]);
      return { mentees: rows.length, mentors: 1, rowStart, mentor: new Int32Array(score.length), score };
    });

  it('give back every pair’s score, read whole, pair by pair or in order', () => {
    fc.assert(
      fc.property(columns, (given) => {
        const table = tableOfScores(given);
        expect([...scoreColumn(table)]).toEqual([...given.score]);
        const reader = new RowScoreReader(table);
        for (let i = 0; i < given.mentees; i++) {
          reader.row(i);
          for (let k = given.rowStart[i] ?? 0; k < (given.rowStart[i + 1] ?? 0); k++) {
            expect(scoreAt(table, i, k)).toBe(given.score[k]);
            expect(reader.at(k)).toBe(given.score[k]);
          }
          // Asked past its row, the reader stays on the row's last run (it once ran on, unbounded).
          const to = given.rowStart[i + 1] ?? 0;
          if (to > (given.rowStart[i] ?? 0)) expect(reader.at(to + 3)).toBe(given.score[to - 1]);
        }
      }),
    );
  });

  it('are as long as they can be, and end where their row ends', () => {
    fc.assert(
      fc.property(columns, (given) => {
        const { runStart, runEnd, runScore } = tableOfScores(given);
        for (let i = 0; i < given.mentees; i++) {
          const [first, last] = [runStart[i] ?? 0, (runStart[i + 1] ?? 0) - 1];
          const [from, to] = [given.rowStart[i] ?? 0, given.rowStart[i + 1] ?? 0];
          // A run begins at a row's first pair and wherever the score changes.
          const row = [...given.score.subarray(from, to)];
          expect(last - first + 1).toBe(row.filter((s, e) => e === 0 || s !== row[e - 1]).length);
          if (to > from) expect(runEnd[last]).toBe(to);
          for (let r = first + 1; r <= last; r++) {
            expect(runScore[r]).not.toBe(runScore[r - 1]);
            expect(runEnd[r] ?? 0).toBeGreaterThan(runEnd[r - 1] ?? 0);
          }
        }
      }),
    );
  });
});

describe('the score table', () => {
  /** Each row as [mentor, score] pairs, in the table's order. */
  const rows = (table: ScoreTable) =>
    Array.from({ length: table.mentees }, (_, i) =>
      Array.from({ length: (table.rowStart[i + 1] ?? 0) - (table.rowStart[i] ?? 0) }, (_, e) => {
        const k = (table.rowStart[i] ?? 0) + e;
        return [table.mentor[k] ?? 0, scoreAt(table, i, k)];
      }),
    );
  const bestFirst = (row: number[][]) =>
    row.every((pair, e) => e === 0 || (pair[1] ?? 0) <= (row[e - 1]?.[1] ?? 0));

  it("lists every eligible pair once, each mentee's best score first", () => {
    // One block; and three blocks of a cohort where no shared topic is required (every pair looked at).
    const open = { ...program, matching: { ...program.matching, requireSharedTopic: false } };
    for (const [mentees, mentors, settings] of [
      [60, 25, program],
      [300, 40, open],
    ] as const) {
      const cohort = syntheticCohort('contention', mentees, mentors, 7, 2);
      const model = buildScoringModel(cohort.mentees, cohort.mentors, settings);
      const table = scoreAllPairs(model);
      expect(table.rowStart[mentees]).toBe(pairCount(table));
      // Its runs as long as they can be: the same as made afresh from its scores.
      expectSameScores(tableOfScores({ ...table, score: scoreColumn(table) }), table);
      // Marked so, which spares the solver its check of every row (the rows are checked here).
      expect(table.bestFirst).toBe(true);
      expect(bestFirstRows(table)).toBe(table);
      rows(table).forEach((row, i) => {
        expect(bestFirst(row)).toBe(true);
        // Oracle: every pair scored on its own.
        const eligible = model.mentors
          .map((_, j) => [
            j,
            evaluatePair(model, i, j, sharedTopicWeight(model, i, j), pairFlags(model, i, j)),
          ])
          .filter(([, value]) => (value ?? -1) >= 0);
        expect([...row].sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0))).toEqual(eligible);
      });
    }
  });

  it('scores every pair as evaluatePair does, whatever the settings, rules and people', () => {
    // The bulk scorer reads what is fixed per mentee once and checks the rules in its own
    // order (pair-scores.ts); evaluatePair, which explanations use, is the oracle.
    const languagePool = Array.from({ length: 40 }, (_, k) => `language ${k}`);
    const personArb = (role: 'mentee' | 'mentor') =>
      fc.record({
        years: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.double({ min: 0, max: 20, noNaN: true })),
        topics: fc.subarray(['data engineering', 'product', 'leadership', 'design', 'ml'], { minLength: 1 }),
        timezone: fc.constantFrom('Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'UTC'),
        languages: fc.subarray(languagePool, { maxLength: 3 }),
        organization: fc.option(fc.constantFrom('acme', 'globex'), { nil: undefined }),
        role: fc.constant(role),
      });
    const settingsArb = fc.record({
      requireSharedLanguage: fc.boolean(),
      requireSharedTopic: fc.boolean(),
      sameOrganization: fc.boolean(),
      minScore: fc.integer({ min: 0, max: 70 }),
      lead: fc.tuple(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10 })),
      preferredBonus: fc.integer({ min: 0, max: 50 }),
      // More than 32 languages in the cohort: language sets of two words.
      polyglot: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(personArb('mentee'), { minLength: 1, maxLength: 12 }),
        fc.array(personArb('mentor'), { minLength: 1, maxLength: 12 }),
        settingsArb,
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('preferred', 'avoid', 'forbid', 'earlier')), {
          maxLength: 12,
        }),
        (menteeFields, mentorFields, settings, namings) => {
          const toApplication = (fields: (typeof menteeFields)[number], k: number): Application =>
            person({
              email: `${fields.role}${k}@example.com`,
              role: fields.role,
              years_experience: fields.years,
              topics: fields.topics,
              timezone: fields.timezone,
              languages: fields.languages,
              ...(fields.organization ? { organization: fields.organization } : {}),
            });
          const mentees = menteeFields.map(toApplication);
          const mentors = mentorFields.map(toApplication);
          const first = mentorFields[0];
          if (settings.polyglot && first) {
            mentors.push(toApplication({ ...first, languages: languagePool }, mentors.length));
          }
          const forbids: { mentee: string; mentor: string }[] = [];
          const previousPartners: { mentee: string; mentor: string }[] = [];
          for (const [a, b, kind] of namings) {
            const mentee = mentees[a % mentees.length] as Application;
            const mentor = mentors[b % mentors.length] as Application;
            const pair = { mentee: mentee.email, mentor: mentor.email };
            if (kind === 'preferred') mentee.preferred = [...mentee.preferred, mentor.email];
            else if (kind === 'avoid') mentee.avoid = [...mentee.avoid, mentor.email];
            else (kind === 'forbid' ? forbids : previousPartners).push(pair);
          }
          const [low, high] = [...settings.lead].sort((x, y) => x - y) as [number, number];
          const settingsProgram: MatchingProgram = {
            ...program,
            exclusions: settings.sameOrganization ? ['same-organization'] : [],
            matching: {
              ...program.matching,
              requireSharedLanguage: settings.requireSharedLanguage,
              requireSharedTopic: settings.requireSharedTopic,
              minScore: settings.minScore,
              idealLead: { min: low, max: high },
              preferredBonus: settings.preferredBonus,
            },
          };
          const model = buildScoringModel(mentees, mentors, settingsProgram, { forbids, previousPartners });
          const table = scoreAllPairs(model);
          rows(table).forEach((row, i) => {
            const eligible = mentors
              .map((_, j) => [
                j,
                evaluatePair(model, i, j, sharedTopicWeight(model, i, j), pairFlags(model, i, j)),
              ])
              .filter(([, value]) => (value ?? -1) >= 0);
            expect([...row].sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0))).toEqual(eligible);
            // A mentee's shared weights with every mentor at once (why an unmatched mentee has no mentor).
            expect([...sharedTopicWeights(model, i)]).toEqual(
              mentors.map((_, j) => sharedTopicWeight(model, i, j)),
            );
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('joins blocks that come in any order into the same table, growing it when they outrun its room, in shared memory or not', () => {
    const cohort = syntheticCohort('contention', 700, 240, 5, 2);
    const model = buildScoringModel(cohort.mentees, cohort.mentors, program);
    const whole = scoreAllPairs(model);
    const blocks = Math.ceil(700 / blockRows);
    const scoreBlock = (scorer: RowScorer, b: number) =>
      scorer.scoreRows(b * blockRows, Math.min(700, (b + 1) * blockRows));
    fc.assert(
      fc.property(
        fc.shuffledSubarray([...Array(blocks).keys()], { minLength: blocks }),
        fc.nat(pairCount(whole)),
        fc.boolean(),
        (order, room, shared) => {
          const scorer = new RowScorer(model, 240);
          const table = new TableInBlocks(model, 700, 240, room, shared);
          for (const b of order) table.add(b, scoreBlock(scorer, b));
          const joined = table.done();
          // In shared memory when asked (as for a large cohort), grown or not.
          for (const array of [
            joined.rowStart,
            joined.mentor,
            joined.runStart,
            joined.runEnd,
            joined.runScore,
          ]) {
            expect(array.buffer instanceof SharedArrayBuffer).toBe(shared);
          }
          expect(joined.rowStart).toEqual(whole.rowStart);
          expect(joined.mentor).toEqual(whole.mentor);
          expectSameScores(joined, whole);
        },
      ),
      { numRuns: 20 },
    );
    // A block missing is an error, not a table with a hole.
    const table = new TableInBlocks(model, 700, 240);
    const scorer = new RowScorer(model, 240);
    for (let b = 1; b < blocks; b++) table.add(b, scoreBlock(scorer, b));
    expect(() => table.done()).toThrow('block 0 was never scored');
  });

  it('writes blocks into a shared table in order, and lets no thread wait for a block that a failed one abandoned', () => {
    const cohort = syntheticCohort('contention', 300, 80, 3, 2);
    const model = buildScoringModel(cohort.mentees, cohort.mentors, program);
    const whole = scoreAllPairs(model);
    const scorer = new RowScorer(model, 80);
    const block = (b: number) => scorer.scoreRows(b * blockRows, Math.min(300, (b + 1) * blockRows), true);
    const table = new SharedTableBlocks(300, 80, SharedTableBlocks.arraysFor(300, 80, pairCount(whole)));
    for (let b = 0; b * blockRows < 300; b++) table.add(b, block(b));
    const written = table.done();
    expect([...written.rowStart]).toEqual([...whole.rowStart]);
    expect([...written.mentor]).toEqual([...whole.mentor]);
    expectSameScores(written, whole);
    // Block 0 never comes: the thread holding block 1 is told so instead of waiting for ever.
    const abandoned = new SharedTableBlocks(300, 80, SharedTableBlocks.arraysFor(300, 80, pairCount(whole)));
    abandoned.fail();
    expect(() => abandoned.add(1, block(1))).toThrow('another thread failed');
  });

  it('holds a block whose predecessor is not placed yet, scores the next one, and places both in order', () => {
    // Two writers (two threads' worth) taking blocks in turns, each in increasing order, the
    // second one first: block 1 cannot be placed before block 0, nor block 3 before block 2.
    // A bootcamp: every full block has room for as many pairs (every mentor), so a writer's
    // rooms are never made anew and a held block would be overwritten in a room reused.
    const cohort = syntheticCohort('bootcamp', 700, 240, 5, 2);
    const model = buildScoringModel(cohort.mentees, cohort.mentors, program);
    const whole = scoreAllPairs(model);
    const blocks = Math.ceil(700 / blockRows);
    const table = new SharedTableBlocks(700, 240, SharedTableBlocks.arraysFor(700, 240, pairCount(whole)));
    const [first, second] = [0, 1].map(() => new SharedBlockWriter(table, model, 240));
    const rows = (b: number) => [b * blockRows, Math.min(700, (b + 1) * blockRows)] as const;
    const placed = () => [...table.arrays.ends].filter((end) => end >= 0).length;
    second?.score(1, ...rows(1));
    expect(placed()).toBe(0);
    first?.score(0, ...rows(0));
    expect(placed()).toBe(1);
    // The held block 1 goes in once block 2 is scored, from the other room; 2 waits for 1.
    second?.score(2, ...rows(2));
    expect(placed()).toBe(3);
    first?.score(4, ...rows(4));
    second?.score(3, ...rows(3));
    expect(placed()).toBe(4);
    for (let b = 5; b < blocks; b++) (b % 2 ? second : first)?.score(b, ...rows(b));
    first?.finish();
    second?.finish();
    const written = table.done();
    expect([...written.rowStart]).toEqual([...whole.rowStart]);
    expect([...written.mentor]).toEqual([...whole.mentor]);
    expectSameScores(written, whole);
  });

  it('comes out the same scored on several threads as on one, whatever the blocks', () => {
    // 700 mentees: blocks of 128, the last one short; 100: fewer than one block, for one thread.
    for (const [mentees, mentors] of [
      [700, 240],
      [100, 40],
    ] as const) {
      const cohort = syntheticCohort('contention', mentees, mentors, 3, 2);
      const model = buildScoringModel(cohort.mentees, cohort.mentors, program);
      const single = scoreAllPairs(model);
      // Workers scoring every block (this thread none), and with this thread taking its share;
      // the blocks joined here, or written into a shared table by the threads that scored them.
      for (const [threads, here] of [
        [2, false],
        [3, false],
        [2, true],
        [3, true],
      ] as const) {
        for (const shared of [false, true]) {
          const parallel = scoreInParallel(model, { threads, fromPairs: 0, here, shared });
          expect(parallel.mentees).toBe(single.mentees);
          expect(parallel.mentors).toBe(single.mentors);
          expect([...parallel.rowStart]).toEqual([...single.rowStart]);
          expect([...parallel.mentor]).toEqual([...single.mentor]);
          expectSameScores(parallel, single);
          expect(parallel.runScore.buffer instanceof SharedArrayBuffer).toBe(shared);
        }
      }
    }
  });

  it('scores the same with workers started beforehand, each given work once, and closes the ones left over', () => {
    const cohort = syntheticCohort('contention', 700, 240, 3, 2);
    const model = buildScoringModel(cohort.mentees, cohort.mentors, program);
    const single = scoreAllPairs(model);
    // Two warm workers, three threads: both used, here = false, so that they score every block.
    const warm = warmScoringWorkers(3);
    expect(warm).toHaveLength(2);
    for (const shared of [false, true]) {
      // The second time round the warm workers are taken already: new ones are started.
      const parallel = scoreInParallel(model, { threads: 3, fromPairs: 0, here: false, shared, warm });
      expect([...parallel.rowStart]).toEqual([...single.rowStart]);
      expect([...parallel.mentor]).toEqual([...single.mentor]);
      expectSameScores(parallel, single);
    }
    expect(warm[0]?.give({}, [])).toBeUndefined();
    // Never given work, a warm worker is stopped by close.
    const unused = warmScoringWorkers(2);
    expect(unused).toHaveLength(1);
    for (const worker of unused) worker.close();
    expect(unused[0]?.give({}, [])).toBeUndefined();
  });

  it('counts the pairs scoring looks at, which decides whether it starts workers', () => {
    for (const kind of ['contention', 'uniform'] as const) {
      const cohort = syntheticCohort(kind, 120, 50, 5, 2);
      const model = buildScoringModel(cohort.mentees, cohort.mentors, program);
      // A shared topic required: one per topic a pair shares, counted pair by pair.
      let shared = 0;
      for (let i = 0; i < model.mentees.length; i++) {
        for (let j = 0; j < model.mentors.length; j++) shared += sharedTopicIds(model, i, j).length;
      }
      expect(pairsToLookAt(model)).toBe(shared);
      expect(pairsToLookAt(model)).toBeGreaterThanOrEqual(pairCount(scoreAllPairs(model)));
      // None required: every pair.
      const open = { ...program, matching: { ...program.matching, requireSharedTopic: false } };
      const everyPair = buildScoringModel(cohort.mentees, cohort.mentors, open);
      expect(pairsToLookAt(everyPair)).toBe(120 * 50);
    }
  });

  it('makes the table in shared memory, for the solve helper, for large cohorts and for cohorts of many pairs', () => {
    const few = sharedTableFromPairs - 1;
    expect(sharedTable(10_000, few)).toBe(false);
    expect(sharedTable(10_000, sharedTableFromPairs)).toBe(true);
    expect(sharedTable(sharedTableFromMentees - 1, few)).toBe(false);
    expect(sharedTable(sharedTableFromMentees, 0)).toBe(true);
  });

  it('is sorted for the solver when a table comes unsorted: same pairs, equal scores in their order', () => {
    const table = fc.array(
      fc.array(fc.record({ mentor: fc.nat(30), score: fc.nat(1000) }), { maxLength: 12 }),
      {
        maxLength: 8,
      },
    );
    fc.assert(
      fc.property(table, (given) => {
        const rowStart = Int32Array.from([0, ...given.map((_, i) => given.slice(0, i + 1).flat().length)]);
        const flat = given.flat();
        const original = tableOfScores({
          mentees: given.length,
          mentors: 31,
          rowStart,
          mentor: Int32Array.from(flat, (pair) => pair.mentor),
          score: Uint16Array.from(flat, (pair) => pair.score),
        });
        const before = rows(original);
        const sorted = bestFirstRows(original);
        expect(rows(original)).toEqual(before);
        // A stable sort by score, best first, is the oracle.
        const expected = before.map((row) => [...row].sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0)));
        expect(rows(sorted)).toEqual(expected);
        expect(bestFirstRows(sorted)).toBe(sorted);
      }),
    );
  });
});
