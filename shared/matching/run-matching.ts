import { performance } from 'node:perf_hooks';
import type { Application } from '../applications/application-schema.ts';
import { conflict, invalidInput } from '../errors.ts';
import {
  type AlikeGroups,
  type AlikeProblem,
  alikeProblem,
  eligibleCounter,
  eligiblePairs,
  mentorPerMentee,
  once,
  shipBothSides,
  wholeTable,
} from './alike-people.ts';
import { describeRule, explainPair, explainUnmatched } from './explain.ts';
import type { MatchingProgram } from './matching-program.ts';
import { evaluatePair, pairCount, reasonOfCode, rowLength, type ScoreTable } from './pair-scores.ts';
import {
  buildScoringModel,
  type PairEmails,
  pairFlags,
  type ScoringModel,
  scoreAllPairs,
  sharedTopicWeight,
} from './scoring.ts';
import {
  type Certificate,
  type Objective,
  type SolveMethod,
  type SolveOptions,
  solveMatching,
} from './solver.ts';

/** What an organizer's review adds to the applications and the program. */
export interface ReviewSettings {
  /** Pairs that must be in the result. A pin overrides the minimum score, never a rule. */
  pins: PairEmails[];
  /** Pairs that must not be. */
  forbids: PairEmails[];
  /** Mentor email → places, replacing the application's capacity (0 takes the mentor out). */
  capacityOverrides: Record<string, number>;
}

export interface MatchOptions extends Partial<ReviewSettings> {
  /** Pairs from earlier rounds, never proposed again. */
  previousPartners?: PairEmails[];
  /** Solver tuning: how many best mentors per mentee the search starts from. */
  candidatesPerRow?: number;
  /** Scores every pair (default: on this thread); the CLI and the benchmark pass `scoreInParallel`. */
  scoreAllPairs?: (model: ScoringModel) => ScoreTable;
  /** A second thread for the solver's bids and scans (default: none); the CLI and the benchmark pass `startSolveHelper`. */
  solveHelper?: SolveOptions['solveHelper'];
  /**
   * Whether people alike are matched as groups where that cuts the pairs by a quarter (default
   * true, alike-people.ts); tests set false, or 'one side' for one side's groups only (not both
   * sides' shipped to each other).
   */
  alikeGroups?: boolean | 'one side';
}

export interface MatchedPair {
  mentee: string;
  mentor: string;
  /** 0–100, one decimal. */
  score: number;
  reasons: string[];
  pinned?: true;
}

export interface UnmatchedMentee {
  mentee: string;
  reason: string;
}

export interface MatchSummary {
  objective: Objective;
  mentees: number;
  mentors: number;
  matched: number;
  unmatched: number;
  totalScore: number;
  meanScore: number;
  eligiblePairs: number;
  /** The reduced-cost certificate held on every eligible pair: no better matching exists. */
  optimal: boolean;
  solverRounds: number;
  candidatePairs: number;
}

export interface MatchResult {
  pairs: MatchedPair[];
  unmatched: UnmatchedMentee[];
  summary: MatchSummary;
  seconds: { scoring: number; solving: number };
  /** Which way the solver found it: for benchmarks and `tandem match --json`, not stored with a draft. */
  solvedBy: SolveMethod;
  /**
   * The side whose people alike were matched as groups (`both`: each side's groups shipped to
   * the other's), and how many groups there were in all, if any (alike-people.ts).
   */
  alikeGroups?: { side: AlikeProblem['side'] | 'both'; groups: number };
}

/** A cohort scored and ready to solve; the CLI also reads every eligible pair from it (`eligibleTable`). */
export interface PreparedMatching {
  model: ScoringModel;
  /**
   * The table the solver gets: every eligible pair, or one side's groups' (`alike.oneSide`),
   * built when first read where people are alike (not at all where both sides' groups are
   * shipped to each other).
   */
  table: ScoreTable;
  /** Where people are mostly alike, the smaller problem solved instead (alike-people.ts). */
  alike?: AlikeProblem;
  capacity: Int32Array;
  pinnedMentor: Int32Array;
  options: MatchOptions;
  scoringSeconds: number;
}

/**
 * Matches a cohort's mentees to its mentors: the exact optimum of the program's objective
 * under its rules and the organizer's review settings, every pair explained, every unmatched
 * mentee given a reason. Pure: same input, same output (people are ordered by email first).
 */
export function runMatching(
  applications: readonly Application[],
  program: MatchingProgram,
  options: MatchOptions = {},
): MatchResult {
  return solvePrepared(prepareMatching(applications, program, options));
}

export function prepareMatching(
  applications: readonly Application[],
  program: MatchingProgram,
  options: MatchOptions = {},
): PreparedMatching {
  const started = performance.now();
  const byEmail = [...applications].sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
  byEmail.forEach((a, k) => {
    if (k > 0 && byEmail[k - 1]?.email === a.email) {
      throw invalidInput('Two applications have the same email', [
        { path: 'email', message: `${a.email} applied twice`, hint: 'keep one application per person' },
      ]);
    }
  });
  const mentees = byEmail.filter((a) => a.role === 'mentee');
  const mentors = byEmail.filter((a) => a.role === 'mentor');
  const model = buildScoringModel(mentees, mentors, program, {
    forbids: options.forbids ?? [],
    previousPartners: options.previousPartners ?? [],
  });
  const capacity = Int32Array.from(
    mentors,
    (a) => options.capacityOverrides?.[a.email] ?? a.capacity ?? program.mentorCapacity,
  );
  const pinnedMentor = applyPins(model, capacity, options.pins ?? []);
  const scoreAll = options.scoreAllPairs ?? scoreAllPairs;
  const alike =
    options.alikeGroups === false
      ? undefined
      : alikeProblem(model, capacity, pinnedMentor, scoreAll, options.alikeGroups !== 'one side');
  let solverTable: () => ScoreTable;
  if (alike) solverTable = once(() => alike.oneSide()?.table ?? scoreAll(model));
  else {
    const whole = scoreAll(model);
    solverTable = () => whole;
  }
  return {
    model,
    get table() {
      return solverTable();
    },
    ...(alike ? { alike } : {}),
    capacity,
    pinnedMentor,
    options,
    scoringSeconds: (performance.now() - started) / 1000,
  };
}

/** Every eligible pair of the cohort, by mentee, best score first. */
export function eligibleTable(prepared: PreparedMatching): ScoreTable {
  const { model, alike } = prepared;
  if (!alike) return prepared.table;
  return wholeTable(alike.pairs, model.mentees.length, model.mentors.length);
}

export function solvePrepared(prepared: PreparedMatching): MatchResult {
  const { model, alike, pinnedMentor } = prepared;
  const started = performance.now();
  const objective = model.program.matching.objective;
  const { mentorOf, certificate } = solveGroups(prepared) ?? solveTable(prepared);
  // Where people are alike, counted from the groups (the solver's table may not be built).
  const eligibleMentorsOf = alike
    ? eligibleCounter(alike.pairs)
    : (i: number) => rowLength(prepared.table, i);
  const solving = (performance.now() - started) / 1000;
  const alikeGroups = alike && groupsSolved(alike, certificate.method);

  const pairs: MatchedPair[] = [];
  const unmatched: UnmatchedMentee[] = [];
  let totalTenths = 0;
  model.mentees.forEach((mentee, i) => {
    const pinned = (pinnedMentor[i] ?? -1) >= 0;
    const j = pinned ? (pinnedMentor[i] ?? -1) : (mentorOf[i] ?? -1);
    const mentor = model.mentors[j];
    if (!mentor) {
      unmatched.push({ mentee: mentee.email, reason: explainUnmatched(model, i, eligibleMentorsOf(i)) });
      return;
    }
    const tenths = pairScoreTenths(model, i, j);
    totalTenths += tenths;
    const reasons = explainPair(model, i, j);
    pairs.push({
      mentee: mentee.email,
      mentor: mentor.email,
      score: tenths / 10,
      reasons: pinned ? ['pinned by the organizer', ...reasons] : reasons,
      ...(pinned ? { pinned: true as const } : {}),
    });
  });
  return {
    pairs,
    unmatched,
    summary: {
      objective,
      mentees: model.mentees.length,
      mentors: model.mentors.length,
      matched: pairs.length,
      unmatched: unmatched.length,
      totalScore: totalTenths / 10,
      meanScore: pairs.length > 0 ? Math.round(totalTenths / pairs.length) / 10 : 0,
      eligiblePairs: alike ? eligiblePairs(alike.pairs, model.mentees.length) : pairCount(prepared.table),
      optimal: certificate.optimal,
      solverRounds: certificate.rounds,
      candidatePairs: certificate.candidatePairs,
    },
    seconds: { scoring: prepared.scoringSeconds, solving },
    solvedBy: certificate.method,
    ...(alikeGroups ? { alikeGroups } : {}),
  };
}

function groupsSolved(alike: AlikeProblem, method: SolveMethod): MatchResult['alikeGroups'] {
  const count = (groups: AlikeGroups) => groups.start.length - 1;
  const both = alike.bothSides;
  if (both && method === 'groups by shortest paths') {
    return { side: 'both', groups: count(both.menteeGroups) + count(both.mentorGroups) };
  }
  const oneSide = alike.oneSide();
  return oneSide && { side: oneSide.side, groups: count(oneSide.groups) };
}

/** A mentor per mentee (−1 for none, pinned mentees aside), and the proof behind it. */
type Solved = { mentorOf: Int32Array; certificate: Certificate };

/** The solver on the prepared table (the cohort's, or one side's groups'). */
function solveTable(prepared: PreparedMatching): Solved {
  const { model, alike, capacity, pinnedMentor, options } = prepared;
  const problem = alike?.oneSide();
  const solution = solveMatching(problem?.table ?? prepared.table, {
    objective: model.program.matching.objective,
    capacity: problem?.capacity ?? capacity,
    skipRows: problem?.skipRows ?? Uint8Array.from(pinnedMentor, (j) => (j >= 0 ? 1 : 0)),
    ...(options.candidatesPerRow ? { candidatesPerRow: options.candidatesPerRow } : {}),
    ...(options.solveHelper ? { solveHelper: options.solveHelper } : {}),
    // A group takes many places, which the regions' shortest paths would read again for each
    // (10,000 alike mentees and 17,000 mentors of one place: 3.4 s against 0.74).
    ...(problem ? { denseRegionPairs: 0 } : {}),
  });
  return {
    mentorOf: problem ? mentorPerMentee(problem, solution.mentorOf, model.mentees.length) : solution.mentorOf,
    certificate: solution.certificate,
  };
}

/** Both sides' groups shipped to each other, where both sides are alike (alike-people.ts). */
function solveGroups({ model, alike }: PreparedMatching): Solved | undefined {
  const both = alike?.bothSides;
  const shipped = both && shipBothSides(both, model.mentees.length);
  if (!both || !shipped) return undefined;
  return {
    mentorOf: shipped.mentorOf,
    certificate: {
      optimal: true,
      method: 'groups by shortest paths',
      rounds: shipped.searches,
      candidatePairs: both.transport.column.length,
      eligiblePairs: both.transport.column.length,
    },
  };
}

function pairScoreTenths(model: ScoringModel, i: number, j: number): number {
  return evaluatePair(model, i, j, sharedTopicWeight(model, i, j), pairFlags(model, i, j), true);
}

/**
 * The rule a pin of these two people would break, if any. Pins override only the minimum
 * score, so this is every rule but that one.
 */
export function pinBreaksRule(
  mentee: Application,
  mentor: Application,
  program: MatchingProgram,
  forbids: readonly PairEmails[],
): string | undefined {
  const model = buildScoringModel([mentee], [mentor], program, { forbids });
  const value = pairScoreTenths(model, 0, 0);
  return value < 0 ? describeRule(reasonOfCode(value)) : undefined;
}

/**
 * Checks pins and takes their places from the mentors' capacities. Returns the pinned mentor
 * per mentee (−1 when not pinned). A pin that contradicts a rule or the capacities is refused.
 */
function applyPins(model: ScoringModel, capacity: Int32Array, pins: readonly PairEmails[]): Int32Array {
  const pinned = new Int32Array(model.mentees.length).fill(-1);
  if (pins.length === 0) return pinned;
  const menteeIndex = new Map(model.mentees.map((a, i) => [a.email, i]));
  const mentorIndex = new Map(model.mentors.map((a, j) => [a.email, j]));
  for (const pin of pins) {
    const i = menteeIndex.get(pin.mentee);
    const j = mentorIndex.get(pin.mentor);
    if (i === undefined || j === undefined) {
      const missing = i === undefined ? `mentee ${pin.mentee}` : `mentor ${pin.mentor}`;
      throw conflict(
        `The pin ${pin.mentee} → ${pin.mentor} names no ${missing} among the people being matched. Remove the pin, or check the email.`,
      );
    }
    if ((pinned[i] ?? -1) >= 0) {
      throw conflict(`${pin.mentee} is pinned to two mentors. Keep one pin per mentee.`);
    }
    const value = pairScoreTenths(model, i, j);
    if (value < 0) throw pinConflict(pin, describeRule(reasonOfCode(value)));
    if ((capacity[j] ?? 0) <= 0) {
      throw conflict(
        `${pin.mentor} has more pinned mentees than places. Raise the mentor's capacity or remove a pin.`,
      );
    }
    capacity[j] = (capacity[j] ?? 0) - 1;
    pinned[i] = j;
  }
  return pinned;
}

export function pinConflict(pin: PairEmails, rule: string) {
  return conflict(
    `The pin ${pin.mentee} → ${pin.mentor} breaks a rule (${rule}). A pin overrides only the minimum score; remove the pin or the reason for the rule.`,
  );
}
