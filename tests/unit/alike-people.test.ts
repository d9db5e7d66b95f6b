import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Application } from '../../shared/applications/application-schema.ts';
import { defaultMatchingProgram, type MatchingProgram } from '../../shared/matching/matching-program.ts';
import { pairCount, type ScoreTable, scoreColumn } from '../../shared/matching/pair-scores.ts';
import {
  eligibleTable,
  type MatchOptions,
  prepareMatching,
  runMatching,
} from '../../shared/matching/run-matching.ts';
import { scoreAllPairs } from '../../shared/matching/scoring.ts';
import type { Objective } from '../../shared/matching/solver.ts';
import { person } from '../support/applications.ts';
import { bruteForceOptimum, objectiveValue } from '../support/brute-force.ts';

/**
 * People alike are matched as groups (alike-people.ts). These cohorts are drawn from a few
 * profiles a side, as a form that asks little gives them, with the named pairs that set
 * people apart (preferences, avoids, forbids, earlier partners, pins) sprinkled over them.
 */
const menteeProfile = fc.record({
  years: fc.integer({ min: 0, max: 5 }),
  // In the mentee's own order: two mentees with the same topics in another order are not alike.
  topics: fc.shuffledSubarray(['sql', 'ml', 'viz', 'cloud'], { minLength: 1 }),
  timezone: fc.constantFrom('Europe/Berlin', 'America/New_York'),
  languages: fc.constantFrom<string[]>(['english'], ['english', 'german'], ['german']),
  organization: fc.constantFrom('a', 'b', undefined),
});
const mentorProfile = fc.record({
  years: fc.integer({ min: 2, max: 12 }),
  topics: fc.shuffledSubarray(['sql', 'machine learning', 'data visualization', 'cloud'], { minLength: 1 }),
  timezone: fc.constantFrom('Europe/Berlin', 'America/New_York'),
  languages: fc.constantFrom<string[]>(['english'], ['german', 'english']),
  organization: fc.constantFrom('a', 'c', undefined),
});
/**
 * What sets a person apart from its profile, if anything: people nearly alike must not be
 * grouped. The last four change nothing a score can see (a company no one on the other side
 * works at, a zone with the same hours all year, a language no one there speaks) or do (no
 * language given: nobody's language is then required to match).
 */
const tweak = fc.option(
  fc.constantFrom(
    'organization',
    'languages',
    'timezone',
    'years',
    'topics order',
    'topics',
    'own company',
    'zone alias',
    'unspoken language',
    'no languages',
  ),
  { freq: 3 },
);
function tweaked<T extends { years: number; topics: string[]; languages: string[]; timezone: string }>(
  profile: T & { organization?: string | undefined },
  change: string | null,
): T & { organization?: string | undefined } {
  if (change === 'organization') return { ...profile, organization: profile.organization ? undefined : 'c' };
  if (change === 'languages')
    return { ...profile, languages: profile.languages.includes('german') ? ['english'] : ['german'] };
  if (change === 'timezone') return { ...profile, timezone: 'Asia/Tokyo' };
  if (change === 'years') return { ...profile, years: profile.years + 1 };
  if (change === 'topics order') return { ...profile, topics: [...profile.topics].reverse() };
  if (change === 'topics') {
    const topics = profile.topics.length > 1 ? profile.topics.slice(1) : [...profile.topics, 'cloud', 'sql'];
    return { ...profile, topics: [...new Set(topics)] };
  }
  if (change === 'own company') return { ...profile, organization: `own ${ownCompanies++}` };
  if (change === 'zone alias' && profile.timezone === 'Europe/Berlin')
    return { ...profile, timezone: 'Europe/Paris' };
  if (change === 'unspoken language') return { ...profile, languages: [...profile.languages, 'icelandic'] };
  if (change === 'no languages') return { ...profile, languages: [] };
  return profile;
}
let ownCompanies = 0;
const namedPair = fc.tuple(
  fc.constantFrom('prefers', 'avoids', 'is preferred by', 'is avoided by', 'forbid', 'earlier', 'pin'),
  fc.nat(),
  fc.nat(),
);

/** The `k`-th item, counted round: arrays here are never empty. */
function pickOf<T>(items: readonly T[], k: number): T {
  const item = items[k % items.length];
  if (item === undefined) throw new Error('no items to pick from');
  return item;
}

/**
 * Cohorts of a few profiles a side. A short form's: no one set apart from their profile, no
 * named pair but a mentor of one's own some mentees name in `preferred` (a form that asks for
 * one), so that both sides' groups are shipped to each other with those mentees' bonus.
 */
function alikeCohort(maxMentees: number, maxMentors: number, shortForm = false) {
  const change = shortForm ? fc.constant(null) : tweak;
  return fc
    .record({
      menteeProfiles: fc.array(menteeProfile, { minLength: 1, maxLength: shortForm ? 2 : 3 }),
      mentorProfiles: fc.array(mentorProfile, { minLength: 1, maxLength: shortForm ? 2 : 3 }),
      // Mentors of one's own, in some cohorts: a mentee's indexes of one or two, or none.
      mentees: fc.array(
        fc.tuple(
          fc.nat(),
          change,
          fc.option(fc.array(fc.nat(), { minLength: 1, maxLength: 2 }), { freq: 2 }),
        ),
        {
          minLength: 1,
          maxLength: maxMentees,
        },
      ),
      ownPreferences: shortForm ? fc.constant(true) : fc.constantFrom(true, false, false),
      mentors: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 2 }), change), {
        minLength: 1,
        maxLength: maxMentors,
      }),
      named: shortForm ? fc.constant([]) : fc.array(namedPair, { maxLength: 4 }),
      // A star mentor whom every other mentee asks for (or avoids), as programs with stars have.
      star: shortForm
        ? fc.constant(null)
        : fc.option(fc.tuple(fc.nat(), fc.constantFrom<'preferred' | 'avoid'>('preferred', 'avoid'))),
      capacityOverride: fc.option(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 2 }))),
      objective: fc.constantFrom<Objective>('participation', 'quality'),
      // A higher minimum leaves more pairs eligible only with the preferred bonus.
      minScore: fc.constantFrom(40, 40, 55, 70),
    })
    .map((c) => {
      const mentees: Application[] = c.mentees.map(([pick, change], i) => {
        const { years, organization, ...profile } = tweaked(pickOf(c.menteeProfiles, pick), change);
        return person({
          email: `e${i}@example.com`,
          role: 'mentee',
          years_experience: years,
          ...profile,
          ...(organization ? { organization } : {}),
        });
      });
      const mentors: Application[] = c.mentors.map(([pick, capacity, change], j) => {
        const { years, organization, ...profile } = tweaked(pickOf(c.mentorProfiles, pick), change);
        return person({
          email: `r${j}@example.com`,
          role: 'mentor',
          years_experience: years,
          capacity,
          ...profile,
          ...(organization ? { organization } : {}),
        });
      });
      c.mentees.forEach(([, , own], i) => {
        const mentee = mentees[i];
        if (c.ownPreferences && own !== null && mentee) {
          mentee.preferred = [...new Set(own.map((pick) => pickOf(mentors, pick).email))];
        }
      });
      const options: MatchOptions & Required<Pick<MatchOptions, 'pins' | 'forbids' | 'previousPartners'>> = {
        pins: [],
        forbids: [],
        previousPartners: [],
        capacityOverrides: c.capacityOverride
          ? { [`r${c.capacityOverride[0] % mentors.length}@example.com`]: c.capacityOverride[1] }
          : {},
      };
      if (c.star) {
        const [star, list] = c.star;
        const email = pickOf(mentors, star).email;
        mentees.forEach((mentee, i) => {
          if (i % 2 === 0) mentee[list] = [email];
        });
      }
      for (const [kind, i, j] of c.named) {
        const mentee = pickOf(mentees, i);
        const mentor = pickOf(mentors, j);
        const pair = { mentee: mentee.email, mentor: mentor.email };
        if (kind === 'prefers') mentee.preferred = [mentor.email];
        if (kind === 'avoids') mentee.avoid = [mentor.email];
        if (kind === 'is preferred by') mentor.preferred = [mentee.email];
        if (kind === 'is avoided by') mentor.avoid = [mentee.email];
        if (kind === 'forbid') options.forbids.push(pair);
        if (kind === 'earlier') options.previousPartners.push(pair);
        if (kind === 'pin' && !options.pins.some((p) => p.mentee === pair.mentee)) options.pins.push(pair);
      }
      const base = defaultMatchingProgram('2027-02-01');
      const program: MatchingProgram = {
        ...base,
        matching: { ...base.matching, objective: c.objective, minScore: c.minScore },
      };
      return { applications: [...mentees, ...mentors], program, options };
    });
}

/** Each row's (mentor, score) pairs, in a canonical order: equal scores may come in any. */
function rowsOf(table: ScoreTable): string[][] {
  const score = scoreColumn(table);
  return Array.from({ length: table.mentees }, (_, i) => {
    const row: string[] = [];
    for (let k = table.rowStart[i] ?? 0; k < (table.rowStart[i + 1] ?? 0); k++) {
      row.push(`${table.mentor[k]}:${score[k]}`);
    }
    return row.sort();
  });
}

/** Runs a cohort, or undefined when the organizer's settings contradict each other (a pin refused). */
function matched(applications: Application[], program: MatchingProgram, options: MatchOptions) {
  try {
    return runMatching(applications, program, options);
  } catch (error) {
    expect((error as Error).message).toMatch(/pin/);
    return undefined;
  }
}

/**
 * Checks every cohort drawn against the brute-force optimum of the whole cohort (and its
 * rules, places and eligible pairs); the ways it was solved, as they were reached.
 */
function reachBruteForceOptimum(
  cohorts: ReturnType<typeof alikeCohort>,
  numRuns: number,
  settings: MatchOptions = {},
): Set<string> {
  const sides = new Set<string>();
  fc.assert(
    fc.property(cohorts, ({ applications, program, options: drawn }) => {
      const options = { ...drawn, ...settings };
      const result = matched(applications, program, options);
      if (!result) return;
      const prepared = prepareMatching(applications, program, options);
      sides.add(prepared.alike?.side ?? 'none');
      const both = result.solvedBy === 'groups by shortest paths';
      if (both) sides.add('both');
      const oneSide = both ? undefined : prepared.alike?.oneSide();
      if (oneSide?.side === 'mentees' && oneSide.own.group.length > 0) {
        sides.add('mentees, with preferences of their own');
      }
      if (both && (prepared.alike?.bothSides?.own.group.length ?? 0) > 0) {
        sides.add('both, with preferences of their own');
      }
      if (both && (prepared.alike?.bothSides?.feederMentee.length ?? 0) > 0) {
        sides.add('both, with mentees naming several');
      }
      const whole = scoreAllPairs(prepared.model);
      expect(rowsOf(eligibleTable(prepared))).toEqual(rowsOf(whole));
      expect(result.summary.eligiblePairs).toBe(pairCount(whole));

      const key = (p: { mentee: string; mentor: string }) => `${p.mentee} ${p.mentor}`;
      const pairs = new Set(result.pairs.map(key));
      for (const pin of options.pins) expect(pairs.has(key(pin))).toBe(true);
      for (const pair of [...options.forbids, ...options.previousPartners]) {
        if (!options.pins.some((pin) => key(pin) === key(pair))) expect(pairs.has(key(pair))).toBe(false);
      }
      const load = new Map<string, number>();
      for (const pair of result.pairs) load.set(pair.mentor, (load.get(pair.mentor) ?? 0) + 1);
      for (const mentor of applications.filter((a) => a.role === 'mentor')) {
        const places = options.capacityOverrides?.[mentor.email] ?? mentor.capacity ?? 0;
        expect(load.get(mentor.email) ?? 0).toBeLessThanOrEqual(places);
      }
      expect(new Set(result.pairs.map((p) => p.mentee)).size).toBe(result.pairs.length);

      const free = result.pairs.filter((p) => !p.pinned);
      const total = Math.round(free.reduce((sum, p) => sum + p.score * 10, 0));
      const objective = program.matching.objective;
      expect(objectiveValue(objective, free.length, total)).toEqual(
        bruteForceOptimum(whole, prepared.capacity, objective, prepared.pinnedMentor),
      );
    }),
    { numRuns },
  );
  return sides;
}

describe('people alike, matched as groups', () => {
  it('reach the brute-force optimum of the whole cohort, within every rule and setting', () => {
    const sides = reachBruteForceOptimum(alikeCohort(6, 4), 400);
    // The property reached both ways of grouping and cohorts left whole (both sides' groups
    // shipped to each other in a few of its cohorts: the short-form property below, in many).
    for (const side of ['mentees', 'mentors', 'none']) expect(sides).toContain(side);
  });

  it('reach the brute-force optimum of short-form cohorts, whose mentees name mentors of their own', () => {
    const sides = reachBruteForceOptimum(alikeCohort(6, 4, true), 200);
    for (const side of ['both', 'both, with mentees naming several', 'both, with preferences of their own']) {
      expect(sides).toContain(side);
    }
    // One side's groups alone, as where both sides' groups are not shipped to each other.
    const oneSide = reachBruteForceOptimum(alikeCohort(6, 4, true), 200, { alikeGroups: 'one side' });
    expect(oneSide).toContain('mentees, with preferences of their own');
  });

  it('match as many, as well, as the cohort solved person by person, on larger cohorts', () => {
    const sides = new Set<string>();
    fc.assert(
      fc.property(alikeCohort(60, 30), ({ applications, program, options }) => {
        const grouped = matched(applications, program, options);
        if (grouped) sides.add(prepareMatching(applications, program, options).alike?.side ?? 'none');
        const whole = matched(applications, program, { ...options, alikeGroups: false });
        expect(grouped === undefined).toBe(whole === undefined);
        if (!grouped || !whole) return;
        // The same objective value and certificate; the solver's own figures (rounds, candidates) differ.
        const summary = grouped.summary;
        // Which of several alike mentees stays out may differ: the objective may not.
        expect([summary.matched, summary.totalScore, summary.eligiblePairs, summary.optimal]).toEqual([
          whole.summary.matched,
          whole.summary.totalScore,
          whole.summary.eligiblePairs,
          whole.summary.optimal,
        ]);
      }),
      { numRuns: 100 },
    );
    expect(sides).toContain('mentees');
    expect(sides).toContain('mentors');
  });

  it('group the side whose groups make the fewer pairs, and leave a cohort of different people whole', () => {
    const program = defaultMatchingProgram('2027-02-01');
    const people = (role: 'mentee' | 'mentor', count: number, years: (k: number) => number) =>
      Array.from({ length: count }, (_, k) =>
        person({ email: `${role}${k}@example.com`, role, years_experience: years(k), capacity: 1 }),
      );
    const beginners = people('mentee', 12, () => 1);
    const seniors = people('mentor', 12, () => 8);
    const distinctMentees = people('mentee', 12, (k) => k);
    const distinctMentors = people('mentor', 12, (k) => 13 + k);
    expect(prepareMatching([...beginners, ...distinctMentors], program).alike?.side).toBe('mentees');
    expect(prepareMatching([...distinctMentees, ...seniors], program).alike?.side).toBe('mentors');
    expect(prepareMatching([...distinctMentees, ...distinctMentors], program).alike).toBeUndefined();
    // Alike, but one of them named by another: that one is a group of its own.
    const named = beginners.map((a, k) => (k === 0 ? { ...a, avoid: ['mentor3@example.com'] } : a));
    const prepared = prepareMatching([...named, ...distinctMentors], program);
    expect(prepared.alike?.groups.start.length).toBe(3);
  });

  it('see only what a score can see: a company of their own, a zone of the same hours, a language no one else speaks', () => {
    const program = defaultMatchingProgram('2027-02-01');
    const beginner = (i: number, fields: Partial<Application> = {}) =>
      person({ email: `e${i}@example.com`, role: 'mentee', years_experience: 1, ...fields });
    const mentees = [
      beginner(0),
      beginner(1, { organization: 'Own Company Ltd' }),
      beginner(2, { timezone: 'Europe/Paris' }),
      beginner(3, { languages: ['english', 'icelandic'] }),
      beginner(4, { languages: [] }),
      beginner(5, { organization: 'Northwind' }),
      beginner(6, { timezone: 'Europe/London' }),
    ];
    const mentors = Array.from({ length: 12 }, (_, j) =>
      person({
        email: `r${j}@example.com`,
        role: 'mentor',
        years_experience: 4 + j,
        capacity: 1,
        ...(j === 0 ? { organization: 'Northwind' } : {}),
      }),
    );
    const prepared = prepareMatching([...mentees, ...mentors], program);
    expect(prepared.alike?.side).toBe('mentees');
    const groupOf = prepared.alike?.groups.groupOf ?? new Int32Array();
    // No language given, a mentor's company, another zone's hours: apart. The rest: one group.
    expect(Array.from(groupOf)).toEqual([0, 0, 0, 0, 1, 2, 3]);
  });

  it('ship the groups of both sides to each other, under either objective, pins kept', () => {
    // Three beginners of four data topics, three of four others in Tokyo; three mentors of
    // all but those others' topics, three far more senior, in Tokyo, of one topic: placing
    // everyone takes the weak pairs (participation), the best pairs leave three out (quality).
    const three = <T>(make: (k: number) => T) => [0, 1, 2].map(make);
    const data = ['sql', 'data modeling', 'etl', 'dbt'];
    const cohort = [
      ...three((k) =>
        person({ email: `x${k}@example.com`, role: 'mentee', years_experience: 1, topics: data }),
      ),
      ...three((k) =>
        person({
          email: `y${k}@example.com`,
          role: 'mentee',
          years_experience: 1,
          topics: ['ml', 'viz', 'cloud', 'testing'],
          timezone: 'Asia/Tokyo',
        }),
      ),
      ...three((k) =>
        person({
          email: `m${k}@example.com`,
          role: 'mentor',
          years_experience: 4,
          topics: [...data, 'ml'],
          capacity: 1,
        }),
      ),
      ...three((k) =>
        person({
          email: `s${k}@example.com`,
          role: 'mentor',
          years_experience: 30,
          topics: ['sql'],
          capacity: 1,
          timezone: 'Asia/Tokyo',
        }),
      ),
    ];
    const base = defaultMatchingProgram('2027-02-01');
    const under = (objective: Objective): MatchingProgram => ({
      ...base,
      matching: { ...base.matching, objective, minScore: 20 },
    });
    const pins = [{ mentee: 'y0@example.com', mentor: 'm0@example.com' }];
    for (const [objective, options, matched] of [
      ['participation', {}, 6],
      ['quality', {}, 3],
      ['participation', { pins }, 6],
    ] as const) {
      const grouped = runMatching(cohort, under(objective), options);
      const whole = runMatching(cohort, under(objective), { ...options, alikeGroups: false });
      expect(grouped.solvedBy).toBe('groups by shortest paths');
      expect(grouped.summary.optimal).toBe(true);
      expect([grouped.summary.matched, grouped.summary.totalScore]).toEqual([
        whole.summary.matched,
        whole.summary.totalScore,
      ]);
      expect(grouped.summary.matched).toBe(matched);
    }
  });

  it('give a mentor named by mentees of two groups, with one place, to the one it scores best with', () => {
    // Beginners of sql and ml, and of ml alone, a0 and b2 naming the one ml mentor as their own:
    // only an ml beginner can take that mentor, and b2 with the bonus is worth the most.
    const program = defaultMatchingProgram('2027-02-01');
    const beginners = (prefix: string, topics: string[], naming: number) =>
      Array.from({ length: 3 }, (_, k) =>
        person({
          email: `${prefix}${k}@example.com`,
          role: 'mentee',
          years_experience: 1,
          topics,
          preferred: k === naming ? ['m@example.com'] : [],
        }),
      );
    const cohort = [
      ...beginners('a', ['sql', 'ml'], 0),
      ...beginners('b', ['ml'], 2),
      person({ email: 'm@example.com', role: 'mentor', years_experience: 5, topics: ['ml'], capacity: 1 }),
      ...[6, 7, 8, 9].map((years, j) =>
        person({
          email: `r${j}@example.com`,
          role: 'mentor',
          years_experience: years,
          topics: ['sql'],
          capacity: 1,
        }),
      ),
    ];
    const oneSide = { alikeGroups: 'one side' } as const;
    const prepared = prepareMatching(cohort, program, oneSide);
    expect([prepared.alike?.side, prepared.alike?.bothSides]).toEqual(['mentees', undefined]);
    const grouped = runMatching(cohort, program, oneSide);
    const whole = runMatching(cohort, program, { alikeGroups: false });
    expect(grouped.pairs.find((p) => p.mentor === 'm@example.com')?.mentee).toBe('b2@example.com');
    expect(grouped.summary.totalScore).toBe(whole.summary.totalScore);
  });

  it('leave a pinned mentee out of its group: its place is taken, the others share the rest', () => {
    const program = defaultMatchingProgram('2027-02-01');
    const mentees = Array.from({ length: 4 }, (_, i) =>
      person({ email: `e${i}@example.com`, role: 'mentee', years_experience: 1 }),
    );
    const mentors = [6, 9].map((years, j) =>
      person({ email: `r${j}@example.com`, role: 'mentor', years_experience: years, capacity: 1 }),
    );
    const pin = { mentee: 'e2@example.com', mentor: 'r0@example.com' };
    const prepared = prepareMatching([...mentees, ...mentors], program, { pins: [pin] });
    expect(prepared.alike?.side).toBe('mentees');
    const result = runMatching([...mentees, ...mentors], program, { pins: [pin] });
    expect(result.pairs.map((p) => `${p.mentee} ${p.mentor}`)).toEqual([
      'e0@example.com r1@example.com',
      'e2@example.com r0@example.com',
    ]);
  });
});
