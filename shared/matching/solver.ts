import { type EntryList, entryList } from './candidate-lists.ts';
import {
  type CandidateGraph,
  costScale,
  epsilonShrink,
  type FlowArrays,
  freeRow,
  unmatchedRow,
} from './cost-scaling.ts';
import { type CardinalityStructure, maximumCardinality } from './max-cardinality.ts';
import {
  bestFirstRows,
  maxScoreTenths,
  mentorColumn,
  pairCount,
  RowScoreReader,
  rowLength,
  type ScoreColumns,
  type ScoreTable,
  tableOfScores,
  transposedTable,
} from './pair-scores.ts';
import { BidSpace } from './parallel-bids.ts';
import { repairByShortestPaths } from './repair.ts';
import { entryBase, entryBits, mentorOfEntry, pairCost, RowScans, type ScanSetting } from './row-scans.ts';
import { shipFromScarceSide } from './shortest-paths.ts';
import type { SolveHelper } from './solve-helper.ts';

/**
 * The exact matching: each mentee gets at most one mentor, each mentor at most their capacity,
 * and the objective is met exactly, not approximately.
 *
 * ## The problem as a min-cost flow
 * Every mentee (row) sends one unit either to a mentor (column) or to its own "unmatched"
 * exit; every mentor passes at most `capacity` units on to the sink t. Costs are integers:
 *   mentee → mentor:     A·(1000 − score)        (score in tenths)
 *   mentee → unmatched:  D = A·1000 + B
 * `quality`: A = mentees + 1, B = 1 — the total score decides, the number matched breaks ties.
 * `participation`: A = 1, B = mentees·1000 + 1 — one more matched mentee outweighs any total
 * score, so the number matched decides and the total score breaks ties. Capacities are
 * native: a mentor is one node with a capacity, never copied into capacity columns.
 *
 * ## Solving
 * Mentees with no eligible pair are out of the problem, as pinned ones are
 * (`withEmptyRowsSkipped`). With `quality`, a cohort is first solved in tenths of a point
 * (`scoreFirst`). With `participation`, a shortage splits the problem where a maximum
 * matching says who may stay out (`solveByRegions`), and a one-place
 * cohort only a few mentors short is solved with the table transposed, the mentors bidding
 * (`solveFromMentorsSide`). But first a shortage
 * whose contested region is dense, or that leaves out only a few mentees, is solved whole
 * with each exit priced just above any pair (`solveWithModerateExits`), kept when it matches
 * as many as a maximum matching. Otherwise:
 * most pairs are weak, so the solver works on a sparse candidate graph: each mentee's best
 * mentors, as many of the best among mentors few mentees list, and its mentor in a
 * maximum-cardinality matching (so the candidates can match as many mentees as the full
 * problem); every pair of a mentee whom some maximum matching leaves out (max-cardinality.ts),
 * except where such a mentee's exit is moderate (`qualityCandidates`, `solveWithModerateExits`).
 * Cost scaling (cost-scaling.ts) solves it in rounds. Its ε and tolerances are counted in
 * tenths of a point, A cost units, which under `quality` are a cost unit times the mentees + 1:
 * counted in cost units there, a restart of the exact stage at ε of one unit took a contended
 * cohort of 10,000 (`contention-10k`'s) 55 s to move prices by whole tenths, where one of A
 * units takes 0.3 s (participation, A = 1, is the same either way):
 * - coarse: ε down to one tenth, prices within a tenth of optimal (on large cohorts, while
 *   many mentees violate, a few tenths: `looseRoundStop`). After the first
 *   round every mentee's candidates are re-chosen by reduced cost at those prices (what it
 *   would pay, not what it scores), and mentors that few mentees then list get their best
 *   outside bidders (where the widening does not bring them), so that the next round prices
 *   them against real rivals; after later rounds, mentees that an outside pair beats by more
 *   than `roughTolerance` get more candidates. Each round resumes from the current prices and
 *   flow (warm start);
 * - exact, once the coarse prices leave nothing (or only a few mentees, `repairLimit`) to
 *   widen: ε down to 1 on the scaled costs,
 *   then integer potentials that make every residual arc's reduced cost (cost + p(from) −
 *   p(to)) non-negative, by a label-correcting pass from the prices. Costs scaled by more than
 *   the number of nodes make ε = 1 optimal outright, but the last phases that takes are the
 *   costliest of all (many equal scores to tell apart). So the exact stage first scales by
 *   only `speculativeScale`: then only a cycle of more arcs than that can still be negative,
 *   which is rare. Where the label-correcting pass meets one (a cycle among the arcs it last
 *   relaxed by), the flow is pushed round it, which makes the matching cheaper, and the pass
 *   starts again (`cycleCancels` times at most). If it finds no potentials within its budget,
 *   the prices are multiplied by `scaleStep` and the phases go on from there, until potentials
 *   are found (at the full scale at the latest); after a proof that widened mentees, the
 *   solve steps back down to the speculative scale.
 *
 * ## The optimality certificate
 * A flow is min-cost iff its residual graph has no negative cycle, and it has none iff there
 * are potentials under which every residual arc has a non-negative reduced cost (a cycle's
 * cost is the sum of its reduced costs). The check runs over every residual arc of the FULL
 * problem — every eligible pair, not only the candidates — plus the unmatched exits and the
 * mentor ⇄ sink arcs. If it holds, the matching is optimal for the whole problem. If an arc
 * outside the candidates fails, its mentee gets the outside pairs of least reduced cost as
 * new candidates, and the solution is repaired by one shortest-path search per such mentee
 * when they are few (repair.ts), else the solve resumes from the current prices (warm start),
 * until it holds.
 * Any other failure would be a bug and throws; `optimal` is never claimed unchecked.
 */

export type Objective = 'participation' | 'quality';

export interface SolveOptions {
  objective: Objective;
  /** Places per mentor. */
  capacity: Int32Array;
  /** Mentees that are not part of the problem (already pinned), marked 1. */
  skipRows?: Uint8Array;
  /** How many best mentors per mentee the search starts with. */
  candidatesPerRow?: number;
  /** The exact stage's first cost scale (see the top of this file). */
  speculativeScale?: number;
  /** Relaxations per node the exact potentials may spend at that scale; tests set 0 to climb to the full scale. */
  speculativeRelaxations?: number;
  /** Improving cycles the exact potentials may push the flow round at that scale before it climbs (default `defaultCycleCancels`); tests set 0. */
  cycleCancels?: number;
  /** Whether a mentee widened again gets twice as many candidates (default: on large cohorts, `growthLimit`). */
  growingWidening?: boolean;
  /** Violating mentees few enough to repair by shortest paths; tests set 0 to solve again by cost scaling instead. */
  repairLimit?: number;
  /** Arcs a repair may read per arc of the candidate graph before it gives up; tests set 0 to make it give up. */
  repairBudget?: number;
  /** A repair's last searches, which run to the end whatever its budget (default `lastRepairSearches`); tests set 0. */
  repairLastSearches?: number;
  /** Whether the widening also gives mentors their best outside bidders (default: on large cohorts, `biddersPerPlace`). */
  wideningByMentor?: boolean;
  /** Whether the last coarse rounds also widen every mentee by its near outside pairs (default: on large cohorts but one-place ones, `nearShare`). */
  nearWidening?: boolean;
  /** Lists each mentor gets after the re-choice at least, as a share of the mean (default `mentorListsShare`, none where the mentors bid in the widening); tests set 0 to leave it out. */
  mentorListsShare?: number;
  /** Where the first coarse round stops, in tenths of a point (A cost units; default 1, `singlePlaceFirstStop` on one-place cohorts). */
  firstRoundStop?: number;
  /** Where a later coarse round stops while the last one left many mentees violating, in tenths of a point (default: `looseRoundStop` on large cohorts, else 1). */
  looseRoundStop?: number;
  /** Share of the mentees left out up to which a one-place cohort is solved from the mentors' side (default `mentorsBidShare`); tests set 1 to reach it on small problems, 0 never to. */
  mentorsBidShare?: number;
  /** Pairs per contested mentee from which a shortage is solved with moderate exits first (default `denseRegionPairs`); tests set 0 to reach it on small problems. */
  denseRegionPairs?: number;
  /** Share of the mentees left out up to which a cohort is solved with moderate exits first (default `fewLeftOutShare`, by its candidate graph, or `onePlaceFewLeftOutShare`); tests set 0 never to. */
  fewLeftOutShare?: number;
  /** Cost units a moderate exit is priced above the dearest pair (default `moderateExitMargin`); tests set 1 to make it leave out too many. */
  moderateExitMargin?: number;
  /** A second thread for cost scaling's bids and the scans of the score table (the CLI and the benchmark pass `startSolveHelper`); none: one thread. */
  solveHelper?: (setting: ScanSetting, widenLimit: number) => SolveHelper | undefined;
}

/**
 * Which way a solution was found (see "Solving" above): cost scaling on the whole problem (for
 * `quality`, in tenths of a point first where it can: `scoreFirst`), with moderate exits, by
 * regions, or with the table transposed (the mentors' side, then by regions or cost scaling);
 * or, where both sides are alike, between their groups (run-matching.ts).
 */
export type SolveMethod =
  | 'cost scaling'
  | 'cost scaling, score first'
  | 'moderate exits'
  | 'regions'
  | "mentors' side, cost scaling"
  | "mentors' side, regions"
  // Both sides' groups of people alike shipped to each other (alike-people.ts, group-transport.ts).
  | 'groups by shortest paths';

export interface Certificate {
  /** Every residual arc of the full problem has a non-negative reduced cost: proven optimal. */
  optimal: boolean;
  method: SolveMethod;
  /** Solve rounds: 1 when the first candidate graph already proved optimal. */
  rounds: number;
  candidatePairs: number;
  eligiblePairs: number;
}

export interface Solution {
  /** Mentor index per mentee, −1 when unmatched (or skipped). */
  mentorOf: Int32Array;
  certificate: Certificate;
}

/** Candidates per mentee to start with, and added per widening (see widenCandidatesFor), with 3 places per mentor or more. */
const defaultCandidates = 32;
/**
 * With one place per mentor, each popular mentor takes a single mentee, so most mentees' own
 * mentors in the optimum lie deep in their rankings and 32 candidates widen for many rounds.
 * Measured on the bench's one-to-one cohort (10,000 × 10,000): 32 → 63 s, 100 → 48 s,
 * 150 → 32 s, 200 → 16.5 s, 300 → 17.9 s, every pair → 21 s.
 */
const singlePlaceCandidates = 256;

/**
 * Candidates per mentee to start with: `singlePlaceCandidates` on one-place cohorts, else
 * `defaultCandidates` with 3 places per mentor (with places) or more, four times as many per
 * place fewer, up to `fewPlacesCandidates` (at 2 places, the programs' default): the fewer
 * places a mentor has, the deeper in their rankings most mentees' mentors lie. Measured
 * (single runs, total seconds, cohorts of 10,000 mentees, 32 / 64 / 128 / 256 candidates):
 * contended, 5,000 mentors of 2 places 2.24 / 2.09 / 1.75 / –, of 1 or 3 places 2.32 / 1.95 /
 * 1.76 / –, 6,700 of 1 or 2 places (1.5 each) 3.10 / 2.47 / 2.52 / 2.50, 4,000 of 1 to 4 places
 * (2.5) 1.71 / 1.69 / 1.58 / –, contention-10k (3 places) 1.38 / 1.40 / 1.52 / –; uncontended,
 * stars of 1 or 2 places 1.09 / – / 1.47 / 1.84 (so not 256 there), uniform-10k 0.77 / 0.97 /
 * 0.82 / –. Not on cohorts of more than `manyPairs` eligible pairs, whose widening already
 * adds twice as many and more each time: 50,000 mentees and 25,000 mentors of 2 places took
 * 86.6 s and 2.3 GB with 128 (64: 81.0 s, 2.0 GB), against 64.5 s and 1.9 GB with 32.
 */
export function candidatesFor(capacity: Int32Array, eligiblePairs: number): number {
  if (onePlaceEach(capacity)) return singlePlaceCandidates;
  if (eligiblePairs > manyPairs) return defaultCandidates;
  const count = defaultCandidates * 4 ** (3 - placesPerMentor(capacity));
  return Math.round(Math.min(fewPlacesCandidates, Math.max(defaultCandidates, count)));
}
const fewPlacesCandidates = 128;

/**
 * One-place cohorts' first round stops at ε of this many tenths (A cost units), not one: its prices only
 * choose the re-choice's candidates, and its last phases, which would settle the ties of a
 * one-place cohort's thousands of mentees bidding for the same mentors, cost more than the
 * next round's. Measured (single runs, solving seconds, 1 / 2 / 4 / 8 units): one-to-one
 * 2.46 / 2.41 / 2.27 / 2.32; at 4, uniform-10k 0.46 → 0.56 and uniform-50k 3.9 → 5.7 (their
 * second round then has more to do), so the others stop at one unit.
 */
const singlePlaceFirstStop = 4;

/** Whether mentors have about one place each (then each popular mentor takes a single mentee). */
function onePlaceEach(capacity: Int32Array): boolean {
  const placesEach = placesPerMentor(capacity);
  return placesEach > 0 && placesEach < 1.5;
}

/** The mean places of the mentors with any. */
function placesPerMentor(capacity: Int32Array): number {
  let places = 0;
  let mentors = 0;
  for (const c of capacity) {
    if (c <= 0) continue;
    places += c;
    mentors++;
  }
  return places / Math.max(1, mentors);
}
/**
 * Candidates added per re-choice and widening: twice as many on cohorts with more eligible
 * pairs than `manyPairs`, where each round's pass over every pair costs more than the bids
 * the extra candidates bring. Measured (solve, one run each): contention-50k 368 s in 58
 * rounds → 244 s in 24, uniform-50k 11–14 s → 11–12 s; on 10,000-mentee cohorts doubling was
 * 5–9% slower (interleaved A/B runs), so they keep the start's count. Not where mentors have
 * one place: they start with `singlePlaceCandidates`, and 512 a mentee at the re-choice only
 * made the graph larger. Measured (single runs, solving seconds, doubled → not): one place at
 * 170% (20.3 million pairs) 3.01–3.21 → 2.84, 5.7 → 3.3 million candidates;
 * `bootcamp-one-to-one` 2.74–2.81 → 2.45, 5.1 → 2.6 million; 20,000 × 20,000 × 1 (contended)
 * 11.87 → 12.01, 15.7 → 9.9 million; the same total score each time.
 */
function widenCandidatesFor(perRow: number, eligiblePairs: number, onePlace: boolean): number {
  return eligiblePairs > manyPairs && !onePlace ? 2 * perRow : perRow;
}
const manyPairs = 20_000_000;
/**
 * On those large cohorts, a mentee that an outside pair beats again gets twice as many new
 * candidates as the time before, up to this many times the count: most mentees that widen
 * there widen round after round, their mentors deep in their rankings. Measured (solve, one
 * run each): contention-50k 208 s in 25 rounds → 140–187 s in 13–14 (a limit of 2: 186 s,
 * of 8: 190 s); again once popular mentors pushed their piles back at once: 78–80 s (a limit of
 * 2: 94.7 s, of 8: 88.2 s, no growth: 102.6 s). On contention-10k it took 1.07 of the wall time
 * (interleaved A/B runs), so smaller cohorts add the same count every time.
 */
const growthLimit = 4;
/**
 * On those large cohorts, the widening also gives each mentor that outside pairs beat its
 * price up to this many of its best outside bidders per place. A round's violations fall
 * mostly on mentors that few mentees list, who stay cheap at the restricted graph's prices:
 * the mentees' own widening reaches such a mentor's real rivals one round at a time, the
 * mentor's bidders bring them at once. Measured (single runs, total seconds, with
 * `defaultRepairLimit` 1,024): contention-50k 42.2 → 36.4 / 36.9 / 35.0 / 43.1 with 4 / 8 /
 * 16 / 32 per place (32 fills the graph so fast that the exact stage runs long).
 */
const biddersPerPlace = 16;
/** Outside bidders per mentor at most, whatever its places: each new bid is shifted into a sorted list that long. */
const biddersPerMentor = 64;
/**
 * On those large cohorts (not one-place ones), once a coarse round leaves fewer than this
 * share of the mentees violating (the last rounds), every mentee also gets up to `nearCount`
 * outside pairs whose reduced cost is under `nearTolerance` tenths of a point: pairs that do
 * not beat the prices yet, but would after the next round's small moves. Without them the last
 * coarse round left a few hundred violators, which the exact stage took two or three more
 * rounds to settle. Measured (farm-bench, `tandem match`, 3 runs, medians, without → with):
 * `contention-50k` 24.8 → 21.4 s (10 rounds → 7), `shortage-50k` 24.2 → 22.0 s, but
 * `two-places-50k` 31.5 → 32.0 s (its exact stage's repair gives up either way, and each of
 * its rounds now has more pairs); one place at 170% (20.3 million pairs) 3.84 → 3.94 s, so not
 * on one-place cohorts. Single runs of `contention-50k`, tolerance 4 / 16 tenths and pairs 8 /
 * every outside pair the widening would add: 19.4–21.2 s, within each other's spread; from the
 * first round after the re-choice, not only the last ones: `two-places-50k` 35.4 s.
 */
const nearShare = 1 / 8;
const nearTolerance = 4;
const nearCount = 8;
/**
 * On those large cohorts, while the last coarse round left at least `nearShare` of the mentees
 * violating, the next round stops at ε of this many tenths (not one), and its violations are
 * read at this many times `roughTolerance`: so many mentees get new pairs that the prices
 * will move by more than a few tenths anyway, and the round's last phase (ε = 1, as many bids
 * as each phase before it) would only be undone by the next round. Counted (bids, the rounds)
 * at 1 → 2 / 4 / 8 / 16 tenths: `two-places-50k`'s cohort 11.1 million (8 rounds) → 10.3 /
 * 8.6 / 9.2 / 8.9 (9 rounds each), `contention-50k`'s 7.8 (7) → 6.8 (7) / 7.0 (8) / 6.0 (8)
 * / 5.4 (8), 4 with the share at 1/20 or 1/4: 8.6 and 9.7, 7.4 and 6.2; one place,
 * `one-place-50k`'s: 4.3 → 3.6 million at 4. The same total score and number matched every
 * time. Not on smaller cohorts: `one-to-one`'s 0.87 → 1.06 million bids at 4 (2 rounds
 * either way), `contention-10k`'s 0.76 → 0.79 (a sixth round), `mixed-places-shortage-99`'s
 * 0.80 → 0.87. The one-place cohorts of 10,000 with more than 20 million pairs use it, as
 * often to more bids as to fewer: one place at 170% 1.05 → 0.94 million,
 * `bootcamp-one-to-one`'s 0.62 → 0.68 (the log's stop after `b0c51fd` has the others).
 */
const looseRoundStop = 4;
/**
 * After the re-choice, a mentor listed by fewer mentees than this share of the mean (lists
 * per mentor with places) gets its best outside bidders (least cost plus mentee potential at
 * the first round's prices) until it is. The re-choice takes each mentee's best by reduced
 * cost, so a mentor that looked dear at those prices may be listed by few: in the next round
 * nobody competes for it, its price stays where the first round left it while every other
 * mentor's moves, and the round's violations pile up on it (one-to-one: 4,134 violating
 * mentees, all on such mentors, which cost a third round). Measured (single runs, solving
 * seconds, one-place cohorts' first round stopping at 4 units): share 0 / 1/4 / 3/8 / 1/2:
 * one-to-one 3.70 / 2.51 / 2.29–2.38 / 2.38 (4, 3, 2, 2 rounds), uniform-10k 0.39 / 0.41 / 0.41 /
 * 0.43, contention-10k 1.18 / 0.99 / 0.95 / 1.01. A number of lists for every cohort instead
 * (one-to-one's mean is 254, a capacity-3 cohort's about 97): 96 also took one-to-one to 2
 * rounds, but it tops up half of a capacity-3 cohort's mentors, and uniform-10k's solve took
 * 0.46 s against 0.37. Not on the large cohorts whose widening brings mentors their bidders
 * (`wideningByMentor`): contention-50k took 45.8 s against 29.6 (one run each, A B), and
 * its time swings by half with small changes here (26–45 s for 64–192 lists, 29–34 s with
 * none), as it did when the mentors' bidders joined the re-choice (40.3 s against 32.7).
 */
const mentorListsShare = 3 / 8;
/**
 * The first round's ε is this share of the cost range, not all of it: the phases at the
 * largest ε only push prices far, for the later phases to bring back. Measured (single runs,
 * solving seconds, share 1 / 4 / 8 / 16 / 32 / 64): one-to-one 4.03 / 3.59 / 3.67 / 3.49 /
 * 3.79 / 4.03, contention-10k 1.17 / 1.09 / 1.04 / 1.06 / 1.04 / 1.08, uniform-10k 0.42 /
 * – / 0.38 / 0.37 / 0.35 / –, contention-50k 29.3 / – / 26.8 (twice) / 29.1–30.5 / – / –,
 * uniform-50k 3.98 / – / 3.58 / 3.53 / – / –; the shortages and the surplus are solved by
 * shortest paths and do not change.
 */
const firstEpsilonShare = 8;
/**
 * ε of a warm restart, in tenths of a point (A cost units): the prices are already close.
 * One-place cohorts restart where their first round stopped (`singlePlaceFirstStop`): their
 * later rounds' phases above it only moved prices that the first round had settled that far. Measured
 * (farm-bench, `tandem match`, 5 runs, paired wall ratio, 64 → 4 units): one place at 170% 0.91,
 * at 150% 0.90, `one-to-one` 0.94, `bootcamp-one-to-one` 0.97, `one-to-one-shortage-99` 0.99,
 * `-90` 0.99; 2 and 8 units against 4: 1.01 and 1.01 (170%), 1.03 and 0.99 (`one-to-one`).
 * Cohorts of more places lose at 4 (`contention-10k` 1.05, `shortage-99` 1.02, `mixed-places`
 * 1.01), so they keep 64.
 */
const warmEpsilon = 64;
/**
 * The warm restart's ε on cohorts of more than `manyPairs` eligible pairs (not one-place ones),
 * whose widening brings in the mentors' bidders and the near pairs: their rounds' prices move
 * less. Measured (single runs, solving seconds, 64 / 32 / 16 / 8 / 4 units): `two-places-50k`
 * 26.8 / 25.8 / 24.7 / 24.4 / 30.5, `contention-50k` 17.3 / 15.3 / 15.5 / 15.1 / 19.5; 16
 * on cohorts of 10,000 (medians of 3, end to end, 64 → 16): `two-places` 1.85 → 1.96 s,
 * `mixed-places-quality` 2.81 → 3.96 s, `contention-10k-quality` 2.17 → 1.87 s, the others
 * within 3%: so only on the large ones.
 */
const largeWarmEpsilon = 16;
/** ε of a restart after the exact certificate widened mentees, in tenths of a point (A cost units). */
const exactRestartEpsilon = 1;
/**
 * Violating mentees few enough for a repair by shortest paths (repair.ts): as many violations
 * of the exact certificate are repaired instead of solved again by cost scaling. On
 * contention-50k (single runs) the coarse rounds end at 12 violators and the certificate then
 * finds 33, repaired in 0.12 s where cost scaling took 3.9 s again; 32 (so not those 33) was
 * 5 s slower. With the mentors' bidders in the widening, its coarse rounds end at about 234
 * violators and the certificate then finds about 500 more: at a limit of 256, cost scaling
 * fixed them in 21 s, through the full scale (8 bidders per place, beside another run), where
 * 1,024 hands them to a repair (which gives up within 0.3 s) and cost scaling from one unit
 * takes 2.6 s; a limit of 512: 2.8 s more in all.
 */
const defaultRepairLimit = 1024;
/**
 * A coarse round leaving at most this many violating mentees (and at most the repair limit)
 * goes on to the exact stage. Not the repair limit itself: at 1,024, uniform-10k's first
 * round went to the exact stage without the re-choice of candidates by price, and took 3
 * rounds and twice the candidates instead of 2 (0.56 s solving against 0.42).
 */
const coarseToExact = 256;
/**
 * After the re-choice, a one-place cohort's coarse round goes on to the exact stage with as
 * many violating mentees as a repair takes: its exact certificate then finds far fewer. One
 * place at 170% of the mentees: 875 violators at the third round's coarse prices, 90 under the
 * exact stage's proof, repaired; at 256 a fourth coarse round took them to 24 (183,000 bids,
 * 0.3–0.4 s). Not on cohorts of more places: `contention-10k`'s 448 became 350 under the proof,
 * and its bids 757,000 → 811,000 (the log's stop after `032e16d`).
 */
const onePlaceCoarseToExact = defaultRepairLimit;
/**
 * Arcs a repair may read, per arc of the candidate graph, before cost scaling (which reads
 * the whole graph many times) is the cheaper way.
 */
const defaultRepairBudget = 2;
/**
 * A repair's last searches run to the end whatever its budget: each reads the candidate graph
 * at most once, where the cost scaling that takes over from a repair that gives up reads it
 * many times. The searches that run out of budget are the last ones, when the few places still
 * short lie far away: `two-places-50k`'s repair of 190 violators ran out at its last, and cost
 * scaling from one unit then took 1.43 million bids (a round more, 13.2 million bids in the
 * solve against 11.8); `contention-10k`'s of 166 with 3 left. Now both end (the log's stop
 * after `3b09a1e`).
 */
const lastRepairSearches = 8;
/**
 * Repairs in a row after which cost scaling takes over: each repair's widening adds pairs,
 * so repairs end, but a run this long means the widening is going round in circles.
 */
const repairsInARow = 32;
/** Tenths of a point (A cost units) by which an outside pair must beat the coarse prices to widen a mentee. */
const roughTolerance = 2;
/**
 * The exact stage's first cost scale (the coarse rounds' too). 64 was the fastest on the
 * bench's contended cohort while ε fell by 16 a phase (16, 32, 64, 256 and the full scale
 * tried, interleaved runs); since it falls by 4, 16 is (single runs, total seconds, scale 4 /
 * 8 / 16 / 32 / 64 / 128: contention-10k 1.95 / 1.71 / 1.44 / 1.48 / 1.67 / 1.72, one-to-one
 * 6.6 / 5.8 / 4.7 / 4.9 / 4.9 / 5.0; the shortages the same).
 */
const defaultSpeculativeScale = 16;
/**
 * Relaxations per node the label-correcting pass may spend at the speculative scale. A pass
 * that holds needs few: at most 1.09 per node in 40 passes over the bench's shapes and other
 * seeds (10,000 and 50,000 mentees). One that fails (a negative cycle at that scale) spends
 * all it may before it gives up: 59–219 ms at 16 per node, on `mixed-places-shortage-99`,
 * `bootcamp` and two other seeds' cohorts, a quarter of that at 4.
 */
const defaultSpeculativeRelaxations = 4;
/**
 * Improving cycles the label-correcting pass may push the flow round at the speculative scale,
 * before the solve climbs to a larger one. Where the exact potentials failed on the bench's
 * cohorts and the scratch generator's, one cycle of 46–198 arcs, each of cost −1 (a tenth of a
 * point), was all that stood in the way: pushed round, the pass holds, where climbing to 64
 * took another 120,000–195,000 bids (`one-to-one-quality`'s cohort: 195,000, a fifth of its
 * solve's; one place for 90% under `quality`, and `one-to-one` on seed 4242 under either
 * objective). A pass costs what a failed one does, so only a few.
 */
const defaultCycleCancels = 4;
/**
 * When the potentials fail at a scale below the full one, the next scale is this many times
 * larger (one more phase), not the full scale at once (six or seven): one-to-one cohorts'
 * potentials fail at 16 now and then and then hold at 64. Measured (single runs, total
 * seconds): one-to-one on seed 4242 5.06 → 3.60 s with the step back down after the proof
 * (below), the other seeds unchanged.
 */
const scaleStep = 4;

export function solveMatching(given: ScoreTable, options: SolveOptions): Solution {
  const table = bestFirstRows(given);
  const skip = withEmptyRowsSkipped(table, options.skipRows);
  const settings = { ...options, skipRows: skip };
  const structure = maximumCardinality(table, settings.capacity, skip);
  if (settings.objective === 'participation') {
    const moderate = moderateExitsFirst(table, settings, structure);
    if (moderate) return moderate;
    if (mentorsShouldBid(settings, skip, structure)) return solveFromMentorsSide(table, settings, skip);
  }
  return solveGiven(table, settings, structure);
}

/**
 * The rows to skip: those given, and every mentee with no eligible pair, whom no matching can
 * place. Counted in the problem, they would be mentees left out, and a cohort whose every
 * place can be filled would look short of mentors: 10,000 × 10,000 of one place, where 4
 * mentees share no language or topic with any mentor, was solved from the mentors' side in
 * 7.65 s against 2.76 (farm-bench; see `mentorsBidShare`, `fewLeftOut`).
 */
function withEmptyRowsSkipped(table: ScoreTable, given: Uint8Array | undefined): Uint8Array {
  const skip = given ? given.slice() : new Uint8Array(table.mentees);
  for (let i = 0; i < table.mentees; i++) if (rowLength(table, i) === 0) skip[i] = 1;
  return skip;
}

function solveGiven(table: ScoreTable, options: SolveOptions, structure: CardinalityStructure): Solution {
  if (options.objective === 'quality') {
    const candidates = qualityCandidates(table, options, structure);
    return (
      scoreFirst(table, options, structure, candidates) ??
      solveWhole(table, options, structure, { candidates })
    );
  }
  return solveByRegions(table, options, structure) ?? solveWhole(table, options, structure);
}

/**
 * `quality` solved in tenths of a point: each pair costing 1000 − score (A = 1, participation's
 * unit) and each exit 1000, a pair of score 0. That finds a largest total score; it is
 * `quality`'s optimum unless a matching of the same total places more mentees. Its potentials
 * times quality's A (`qualityPotentials`) then prove it on quality's own costs (the same pairs'
 * costs times A, each exit's one unit more), which is checked on every eligible pair before it
 * is kept; else undefined, and `quality` is solved in its own units. Its unit, a tenth over the
 * mentees + 1, makes the exact stage's phases below a tenth settle the number matched among
 * equal scores: `one-to-one`'s cohort spent 1.0 s there against 0.2 in tenths. Where mentors
 * run short too (since the stop after `032e16d`; before, only where a maximum matching places
 * every mentee): `one-to-one-shortage-99-quality`'s cohort 0.79 of its time (farm-bench, 5
 * runs, paired), `shortage-50k`'s 39.6 → 21.9 s (single runs), and the proof held on each of
 * 15 shortages of the scratch generator, under `quality`, with the same total score and number
 * matched as before.
 */
function scoreFirst(
  table: ScoreTable,
  options: SolveOptions,
  structure: CardinalityStructure,
  candidates: ContestedCandidates,
): Solution | undefined {
  const skip = options.skipRows ?? new Uint8Array(table.mentees);
  const solution = solveWhole(table, { ...options, objective: 'participation' }, structure, {
    exitCost: maxScoreTenths,
    candidates,
  });
  const quality = costModel(table, 'quality', skip);
  // The proof reads a mentee left out as one on its exit.
  const assigned = Int32Array.from(solution.mentorOf, (j, i) =>
    j >= 0 ? j : skip[i] ? freeRow : unmatchedRow,
  );
  const pot = qualityPotentials(solution.pot, assigned, options.capacity, quality.A);
  if (!provenOnEveryPair(table, options.capacity, skip, quality, pot, assigned)) return undefined;
  return {
    mentorOf: solution.mentorOf,
    certificate: { ...solution.certificate, method: 'cost scaling, score first' },
  };
}

/**
 * Potentials for `quality`'s costs from the proof in tenths (`tenths`, for the flow
 * `assigned`): each times quality's A. Where mentees are left out, the exits they take cost
 * one unit more under `quality` than A times their cost in tenths, and would break the proof:
 * the sink's potential rises by one, and so does every mentor's with a place left, whose arc to
 * the sink would else be negative. What is left to break are the pairs of reduced cost 0 in
 * tenths into a mentor with a place left: a mentee who could move there at no cost in score,
 * so that another could be placed, which `quality` counts. The proof on every pair finds them.
 */
function qualityPotentials(
  tenths: Float64Array,
  assigned: Int32Array,
  capacity: Int32Array,
  A: number,
): Float64Array {
  const pot = tenths.map((p) => p * A);
  if (!assigned.includes(unmatchedRow)) return pot;
  const n = assigned.length;
  const m = capacity.length;
  const load = new Int32Array(m);
  for (const j of assigned) if (j >= 0) load[j] = (load[j] ?? 0) + 1;
  for (let j = 0; j < m; j++) if ((load[j] ?? 0) < (capacity[j] ?? 0)) pot[n + j] = (pot[n + j] ?? 0) + 1;
  pot[n + m] = (pot[n + m] ?? 0) + 1;
  return pot;
}

/**
 * Under `quality` an exit costs one unit more than the dearest pair (B = 1, see the top): a
 * moderate exit already, so the contested mentees need not have every pair of theirs among the
 * candidates, as the huge exits of participation need. Sparse lists pay where they do under
 * participation's moderate exits: under 3 places per mentor, or a dense contested region.
 * Measured (single runs, end to end, every pair → sparse, the same total score each time),
 * 10,000 mentees: contended one place for 99% 4.44 → 3.46 s, for 90% 3.79 → 3.08, for 60%
 * 2.78 → 2.37; one or two places for 99% 3.21 → 2.70, two for 99% 2.58 → 2.41; bootcamps
 * (31–45 million pairs), two places for 99% 4.22 → 2.73 (753 → 454 MB), three for 60% 2.33 →
 * 1.70, one for 34% 3.46 → 2.37; uniform and stars, one place for 90%, even; but contended
 * three places for 99% 1.96 → 2.15 (90%: even), so not there. At 50,000 × 17,000 (not
 * targets under `quality`): two places 27.2 → 26.1 s (1.58 → 1.16 GB), one place 19.5 → 21.5.
 */
function qualityCandidates(
  table: ScoreTable,
  options: SolveOptions,
  structure: CardinalityStructure,
): ContestedCandidates {
  return contestedCandidates(contestedRegion(table, options, structure), options);
}

/**
 * The contested mentees' candidates where their exits are moderate: lists like everyone
 * else's in a dense region or under 3 places per mentor (each mentee then starts with 128
 * candidates or more: `candidatesFor`), else every pair of theirs.
 */
function contestedCandidates(region: RegionSize, options: SolveOptions): ContestedCandidates {
  const sparse = denseRegion(region, options) || placesPerMentor(options.capacity) < 3;
  return sparse ? 'sparse' : 'every pair of the contested';
}

/**
 * A shortage solved whole with moderate exits where that is faster than the regions (or the
 * mentors' side): a dense contested region on a sparse graph; a few mentees left out on a
 * sparse graph where mentors have fewer than 3 places on average (so each mentee starts with
 * 128 candidates or more: `candidatesFor`), else with every pair of the contested mentees.
 * Undefined where neither applies, or when the solve leaves out too many.
 */
function moderateExitsFirst(
  table: ScoreTable,
  options: SolveOptions,
  structure: CardinalityStructure,
): Solution | undefined {
  const region = contestedRegion(table, options, structure);
  if (denseRegion(region, options) || largeRegionHalfPlaced(region, options, structure))
    return solveWithModerateExits(table, options, structure, 'sparse');
  const graph = contestedCandidates(region, options);
  if (!fewLeftOut(table, options, structure, graph)) return undefined;
  return solveWithModerateExits(table, options, structure, graph);
}

/**
 * Participation where some mentees must stay out, solved whole with each mentee's exit priced
 * just above any pair (`moderateExitMargin`) rather than above every total score. A solution
 * optimal at that price that matches as many mentees as a maximum matching is optimal for
 * participation: every other matching of that size has as many exits, so it differs only in
 * its pairs' costs, which the proof at that price already bounds. So it is kept only when it
 * matches that many and its proof holds (then `optimal` means optimal for participation);
 * else undefined, and the split by regions solves it. Priced that way nobody has to be bid
 * down to a huge exit. The candidate graph either stays sparse (`sparse`: the mentees some
 * maximum matching leaves out get candidates like everyone else), or, as the regions' way
 * has it, holds every pair of those mentees.
 */
export function solveWithModerateExits(
  table: ScoreTable,
  options: SolveOptions,
  structure: CardinalityStructure,
  candidates: ContestedCandidates,
): Solution | undefined {
  const skip = options.skipRows ?? new Uint8Array(table.mentees);
  const { A } = costModel(table, 'participation', skip);
  const margin = options.moderateExitMargin ?? moderateExitMargin;
  const solution = solveWhole(table, options, structure, {
    exitCost: A * (maxScoreTenths + margin),
    candidates,
  });
  const most = leftOutBy(structure, skip);
  const got = leftOutBy(solution, skip);
  return solution.certificate.optimal && got.leftOut === most.leftOut ? solution : undefined;
}

/**
 * The candidates of the contested mentees (those some maximum matching leaves out) in a whole
 * solve: lists like everyone else's (`sparse`), or every pair of theirs, as the regions' way has it.
 */
type ContestedCandidates = 'sparse' | 'every pair of the contested';

/**
 * Cost units an exit is priced above the dearest pair in `solveWithModerateExits`: enough that
 * any free place a mentee left out can reach directly is taken. Measured (single runs, solving
 * seconds; margin 1 / 100 / 200 / 1,000, the candidate graph the regions' way, every pair of
 * the contested mentees): `mixed-places-shortage-99` 2.75 / 2.54 / 2.47 / 3.50,
 * `two-places-shortage-99` 1.93 / 2.07 / – / 2.25, `shortage-99` 1.32 / 1.28 / – / 1.58;
 * every run matched as many as a maximum matching, at the same total score as the regions.
 */
const moderateExitMargin = 100;

/**
 * Whether the contested region is dense: at least `denseRegionPairs` eligible pairs per
 * contested mentee. The regions' shortest paths read most of a region in their last searches
 * (see `solveByRegions`), so their time grows with how many mentors each contested mentee
 * could have; cost scaling on a sparse candidate graph does not. Measured (single runs,
 * solving seconds, regions → moderate exits; eligible pairs per contested mentee, where nearly
 * every mentee is contested): bootcamps of 10,000 mentees (nearly every pair eligible) with
 * places for 99% (3,300 × 3; 3,017) 4.47 → 1.15, 90% (3,000 × 3; 2,750) 3.33 → 1.15, 60%
 * (2,000 × 3; 1,837) 1.74 → 0.92, 99% of one or two places (6,600; 6,029) 7.16 → 2.90,
 * `bootcamp-shortage-99` (4,526) 5.63 → 1.95, 90% of one place (9,000) 7.77 → 4.23; the
 * contended cohort of 50,000 × 16,500 × 3 (1,971) 102.7 → 46.5 (at 20,000 × 6,500 × 3, 778,
 * 7.0 → 8.7: a contended cohort's pairs per mentee grow with its size), and a uniform one-place
 * cohort at 90% 1.30 → 1.86. Those were measured before a sparse solve re-chose its contested
 * mentees after the first round (`reselect`; `bootcamp-shortage-99` 4 rounds → 2). Since, the
 * contended cohorts of 10,000 with many left out still lose: `one-to-one-shortage-90` (1,061)
 * 2.34 → 2.61, `shortage-90` (363) 1.13 → 1.38, `shortage-60` (244) 0.43 → 0.81; those a few
 * short are solved with moderate exits anyway (`fewLeftOut`).
 */
const denseRegionPairs = 1500;

/** The contested region's size: its mentees (not skipped) and their eligible pairs. */
interface RegionSize {
  mentees: number;
  pairs: number;
}

function contestedRegion(
  table: ScoreTable,
  options: SolveOptions,
  { contested }: CardinalityStructure,
): RegionSize {
  const skip = options.skipRows;
  let mentees = 0;
  let pairs = 0;
  for (let i = 0; i < table.mentees; i++) {
    if (!contested[i] || skip?.[i]) continue;
    mentees++;
    pairs += rowLength(table, i);
  }
  return { mentees, pairs };
}

function denseRegion({ mentees, pairs }: RegionSize, options: SolveOptions): boolean {
  return mentees > 0 && pairs >= (options.denseRegionPairs ?? denseRegionPairs) * mentees;
}

/**
 * Whether the contested region is large (more than `manyPairs` eligible pairs) and its mentors'
 * places take at least half of its mentees: the regions' shortest paths, one search per place,
 * then read ever more of a region that a search can no longer leave soon. Measured (single
 * runs, solving seconds, regions → moderate exits, the same total score; contended cohorts,
 * 3 places per mentor, eligible pairs): places for 60% of 50,000 (59.5 million) 15.6 → 9.2,
 * of 30,000 (21.6 million) 4.47 → 4.06, of 20,000 (9.7 million) 1.94 → 2.00. Where places
 * take a third of the mentees the regions stay faster: 50,000 × 5,667 × 3 (34.2 million) 2.86
 * against 4.82, 30,000 × 10,200 × 1 (36.3 million) 1.99 against 3.90.
 */
function largeRegionHalfPlaced(
  { mentees, pairs }: RegionSize,
  options: SolveOptions,
  structure: CardinalityStructure,
): boolean {
  if (pairs <= manyPairs) return false;
  const { leftOut } = leftOutBy(structure, options.skipRows ?? new Uint8Array(structure.mentorOf.length));
  return leftOut <= mentees / 2;
}

/**
 * Cohorts a few short (a maximum matching leaves out some mentees, at most `fewLeftOutShare`
 * of them, by the candidate graph) of up to `manyPairs` eligible pairs: solved whole with
 * moderate exits first.
 * - Mentors of one place each: on a sparse graph, before the mentors' side (`mentorsBidShare`,
 *   which then only takes what the moderate exits leave). Single runs, solving seconds,
 *   mentors' side → moderate exits, the same total score: contended, places for 99.5 / 99 /
 *   98 / 97% 3.90 → 3.05, 3.40 → 2.83, 3.40 → 2.79, 3.70 → 3.17; uniform 99% 2.12 → 1.57;
 *   stars 99% 1.95 → 1.80 (every pair of the contested instead, 99%: 3.82).
 * - Under 3 places on average, where each mentee starts with 128 candidates or more: sparse
 *   too. Every pair → sparse: contended, two places for 99 / 98% 1.73 → 1.55, 2.41 → 1.69,
 *   one or two 2.33 → 2.23, 3.23 → 2.40; but uncontended two places at 99% 0.76 → 1.05
 *   (uniform) and 0.75 → 0.83 (stars), fast either way.
 * - From 3 places, where a sparse graph starts at 32 candidates and widens for 5 or 6 rounds
 *   (`shortage-99` 1.12 → 1.25, four places 1.04 → 1.11): every pair of the contested mentees
 *   among the candidates, as the regions have them.
 * The regions' shortest paths search a nearly square transport problem, whose last searches
 * cross most of it; cost scaling from the mentees' side has a few exits to price, just above
 * any pair. Regions → moderate exits with every pair (single runs, solving seconds, the same
 * total score), contended, 10,000 mentees with places for 99%: `shortage-99` 1.79 → 1.46,
 * `two-places-shortage-99` 2.49 → 2.13, `mixed-places-shortage-99` 3.03 → 2.67, four places
 * (2,475) 1.54 → 1.20, one to five places (3,300) 1.80 → 1.86; uniform 1.09 → 0.86 (two places
 * 1.50 → 1.07), stars 1.08 → 0.75. With more left out it does not pay: 97% (6,400 of one or two
 * places) 2.60 → 2.55, 96% (3,200 × 3) 1.61 → 1.58, 95% (4,750 × 2) 2.47 → 2.80, 90%
 * (`shortage-90`) 1.31 → 1.85, and one place at 90% 2.39 → 2.59 (sparse).
 */
const fewLeftOutShare: Record<ContestedCandidates, number> = {
  /**
   * 5% on a sparse graph: the regions' cost grows as the places near the mentees, cost
   * scaling's stays (and bids on two threads, since the stop after `bf5b307`; the shares above
   * were measured before). Single runs, seconds of `solvePrepared` (solving and explaining),
   * contended cohorts of 10,000 mentees, regions → moderate exits, the same total score each
   * time: places for 95% 3.28 → 2.38 (one place), 1.85 → 1.41 (two), 2.23 → 1.76 (one or two);
   * 92% 2.67 → 2.23, 1.53 → 1.59; 90% 2.44–2.59 → 2.13–2.27 on the bench's seed but 2.30 →
   * 2.26 and 2.22 → 2.31 on seeds 1 and 2, 1.44 → 1.47 (two), 1.84 → 1.86 (one or two);
   * 88% 2.39 → 2.25, 1.34 → 1.41; 85% 2.08 → 2.15; 80% 1.81 → 2.17, 1.14 → 1.37, 1.46 →
   * 1.79 (one or two, 81%); uncontended one-place cohorts at 90% lose (uniform 1.43 → 1.82,
   * stars 1.46 → 1.53). So from 95% on, not at 90%, where it is a coin toss.
   */
  sparse: 0.05,
  'every pair of the contested': 0.03,
};
/**
 * On a sparse graph, one-place cohorts up to 12% left out: since their warm rounds restart at
 * their first round's stop (`singlePlaceFirstStop`, see `warmEpsilon`), the moderate exits win
 * there too. Single runs,
 * end to end, `tandem match`, 5% → 12% (or more), the same total score each time: contended,
 * places for 92% 3.41–3.42 → 2.93–3.04 s, 90% 3.22–3.25 → 2.92–2.98 (seeds 1 and 2:
 * 3.12–3.14 → 2.93–2.98, 3.08–3.19 → 2.95–3.01), 88% 3.08–3.11 → 2.94–2.96, but 85%
 * 2.94–2.96 → 2.87–3.00, 80% 2.60–2.68 → 2.69–2.73, 70% 1.89–1.96 → 2.68–2.72; uncontended
 * at 90% and 88% about even (uniform 2.23 → 2.16–2.24 and 2.07–2.14 → 2.16–2.17, stars 2.23–2.28
 * → 2.31–2.37), at 80% not (stars 1.89–1.91 → 2.10–2.16).
 */
const onePlaceFewLeftOutShare = 0.12;

function fewLeftOut(
  table: ScoreTable,
  options: SolveOptions,
  structure: CardinalityStructure,
  graph: ContestedCandidates,
): boolean {
  if (pairCount(table) > manyPairs) return false;
  const { mentees, leftOut } = leftOutBy(structure, options.skipRows ?? new Uint8Array(table.mentees));
  const share =
    graph === 'sparse' && onePlaceEach(options.capacity) ? onePlaceFewLeftOutShare : fewLeftOutShare[graph];
  return leftOut > 0 && leftOut <= (options.fewLeftOutShare ?? share) * mentees;
}

/**
 * One-place cohorts whose mentors run only a few short: at most this share of the mentees
 * left out (and some). Their contested region is then a nearly square assignment, where the
 * last shortest-path searches cross most of the graph; the same cohort seen from the mentors'
 * side (`solveFromMentorsSide`) is an assignment in which every mentor is placed and a few
 * mentees' places stay empty, which cost scaling solves without any exit. Measured (single
 * runs, solving seconds, as given → from the mentors' side), contended cohorts of 10,000
 * mentees and one place per mentor for 100 / 99.5 / 99 / 98 / 97 / 95 / 90 / 60% of them:
 * 2.77 → 3.68, 4.70 → 3.67, 3.83–4.19 → 2.90–3.06, 4.07 → 3.27, 3.48 → 2.93, 3.09 → 3.41,
 * 2.69 → 2.95, 0.86 → 1.09; uncontended (uniform, stars): 99% 2.03 → 1.52 and 2.14 → 1.66,
 * 97% (stars) 1.86 → 1.23, 95% 1.62 → 1.22, 90% 1.40 → 1.22, 100% 1.53 → 1.51.
 */
const mentorsBidShare = 0.03;

/** Whether every mentor has one place or none and a maximum matching leaves out a few mentees, at most `mentorsBidShare` of them. */
function mentorsShouldBid(options: SolveOptions, skip: Uint8Array, structure: CardinalityStructure): boolean {
  let open = 0;
  for (const places of options.capacity) {
    if (places > 1) return false;
    if (places === 1) open++;
  }
  const { mentees, leftOut } = leftOutBy(structure, skip);
  return open > 0 && leftOut > 0 && leftOut <= (options.mentorsBidShare ?? mentorsBidShare) * mentees;
}

/** The mentees in the problem (not skipped), and how many of them a matching leaves out. */
function leftOutBy(
  matching: { mentorOf: Int32Array },
  skip: Uint8Array,
): { mentees: number; leftOut: number } {
  let mentees = 0;
  let leftOut = 0;
  for (let i = 0; i < skip.length; i++) {
    if (skip[i]) continue;
    mentees++;
    if ((matching.mentorOf[i] ?? -1) < 0) leftOut++;
  }
  return { mentees, leftOut };
}

/**
 * A one-place cohort solved with the table transposed: the mentors are the rows (those with
 * no place left skipped), the mentees the columns of one place (a skipped mentee, none). With
 * one place per mentor a matching is the same set of pairs either way round, its size and
 * total score the same, so the optimum and the proof over every eligible pair carry over.
 */
function solveFromMentorsSide(table: ScoreTable, options: SolveOptions, skip: Uint8Array): Solution {
  const seen = transposedTable(table);
  const capacity = Int32Array.from(skip, (skipped) => (skipped ? 0 : 1));
  const skipRows = Uint8Array.from(options.capacity, (places) => (places > 0 ? 0 : 1));
  const settings: SolveOptions = { ...options, capacity, skipRows };
  const solution = solveGiven(seen, settings, maximumCardinality(seen, capacity, skipRows));
  const mentorOf = new Int32Array(table.mentees).fill(-1);
  solution.mentorOf.forEach((i, j) => {
    if (i >= 0) mentorOf[i] = j;
  });
  const method: SolveMethod =
    solution.certificate.method === 'regions' ? "mentors' side, regions" : "mentors' side, cost scaling";
  return { mentorOf, certificate: { ...solution.certificate, method } };
}

/**
 * Participation, split where a maximum matching says who may stay out. Mentees that some
 * maximum matching leaves out (contested) only have mentors that every maximum matching fills
 * with contested mentees (max-cardinality.ts), so the problem falls apart in two:
 * - the contested region, where the mentors' places are the scarce side: every place is
 *   filled and the question is by whom. It is solved from the mentors' side by shortest
 *   paths (shortest-paths.ts) — each mentor a row shipping its places, the contested mentees
 *   as columns with one place each — so that no one has to be priced out to an exit (in the
 *   mentees' orientation, every mentee left out must be bid down to the exit's huge cost,
 *   one ε at a time, which is what made shortages slow);
 * - everyone else, who are all matched, among the other mentors: by shortest paths from the
 *   mentees' side when places are plenty (`plentifulPlaces`), else by cost scaling.
 * Both parts come with potentials proving them optimal; mapped onto the whole problem (the
 * contested region negated and shifted by the exit cost), they are checked on every residual arc of the
 * whole problem, the pairs between the parts included. Returns undefined when a part does not
 * come out as the decomposition says or the whole check fails: then the whole problem is solved
 * in one piece.
 */
function solveByRegions(
  table: ScoreTable,
  options: SolveOptions,
  { contested, full }: CardinalityStructure,
): Solution | undefined {
  const n = table.mentees;
  const m = table.mentors;
  const { rowStart, mentor, runStart, runEnd, runScore } = table;
  const cap = options.capacity;
  const skip = options.skipRows ?? new Uint8Array(n);
  const model = costModel(table, 'participation', skip);

  // Everyone else, among the mentors the contested region does not fill: by shortest paths
  // when places are plenty, else by cost scaling. With nothing contested and places not
  // plenty, that is the whole problem as it is.
  const restRow: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!skip[i] && !contested[i] && (rowStart[i + 1] ?? 0) > (rowStart[i] ?? 0)) restRow.push(i);
  }
  const restColumn = new Int32Array(m).fill(-1);
  const restMentor: number[] = [];
  let restPlaces = 0;
  for (let j = 0; j < m; j++) {
    if (!full[j]) {
      restColumn[j] = restMentor.length;
      restMentor.push(j);
      restPlaces += Math.max(0, cap[j] ?? 0);
    }
  }
  const restByPaths = restPlaces >= plentifulPlaces * restRow.length;
  if (!contested.includes(1) && !restByPaths) return undefined;
  // The rest keeps every setting but the skipped rows, which index the whole problem.
  const { skipRows: _wholeProblemRows, ...settings } = options;
  const sub = (capacity: Int32Array): SolveOptions => ({ ...settings, objective: 'participation', capacity });

  // The contested region from the mentors' side: its mentees are the columns, one place each.
  const column = new Int32Array(n).fill(-1);
  const columnMentee: number[] = [];
  for (let i = 0; i < n; i++) {
    if (contested[i]) {
      column[i] = columnMentee.length;
      columnMentee.push(i);
    }
  }
  // One row per contested-region mentor, shipping its places; arcs as the mentor sees them,
  // gathered straight from the mentees' rows (contested mentees only have such mentors).
  const placeMentor: number[] = [];
  for (let j = 0; j < m; j++) if (full[j] && (cap[j] ?? 0) > 0) placeMentor.push(j);
  const placeRow = new Int32Array(m).fill(-1);
  placeMentor.forEach((j, r) => {
    placeRow[j] = r;
  });
  const placeStart = new Int32Array(placeMentor.length + 1);
  for (let i = 0; i < n; i++) {
    if (!contested[i]) continue;
    for (let k = rowStart[i] ?? 0, end = rowStart[i + 1] ?? 0; k < end; k++) {
      const r = placeRow[mentor[k] ?? 0] ?? -1;
      if (r >= 0) placeStart[r + 1] = (placeStart[r + 1] ?? 0) + 1;
    }
  }
  for (let r = 0; r < placeMentor.length; r++)
    placeStart[r + 1] = (placeStart[r + 1] ?? 0) + (placeStart[r] ?? 0);
  const fillAt = placeStart.slice(0, placeMentor.length);
  // 16 bits a column while every contested mentee's index fits: this copy is the region's
  // every pair, as large as the table where nearly every pair is eligible.
  const placeColumn = mentorColumn(columnMentee.length, placeStart[placeMentor.length] ?? 0);
  const placeCost = new Uint16Array(placeColumn.length);
  for (let i = 0; i < n; i++) {
    if (!contested[i]) continue;
    let k = rowStart[i] ?? 0;
    for (let run = runStart[i] ?? 0, runs = runStart[i + 1] ?? 0; run < runs; run++) {
      const cost = model.costOf(runScore[run] ?? 0);
      for (const end = runEnd[run] ?? 0; k < end; k++) {
        const r = placeRow[mentor[k] ?? 0] ?? -1;
        if (r < 0) continue;
        const at = fillAt[r] ?? 0;
        fillAt[r] = at + 1;
        placeColumn[at] = column[i] ?? 0;
        placeCost[at] = cost;
      }
    }
  }
  const placed = shipFromScarceSide({
    rowStart: placeStart,
    column: placeColumn,
    cost: placeCost,
    supply: Int32Array.from(placeMentor, (j) => cap[j] ?? 0),
    capacity: new Int32Array(columnMentee.length).fill(1),
  });
  if (!placed) return undefined;

  let restPairs = 0;
  for (const i of restRow) {
    for (let k = rowStart[i] ?? 0, end = rowStart[i + 1] ?? 0; k < end; k++) {
      if (!full[mentor[k] ?? 0]) restPairs++;
    }
  }
  // A score a pair: shortest paths read the rest's costs so (`restCosts`).
  const restTable: ScoreColumns = {
    mentees: restRow.length,
    mentors: restMentor.length,
    rowStart: new Int32Array(restRow.length + 1),
    mentor: mentorColumn(restMentor.length, restPairs),
    score: new Uint16Array(restPairs),
  };
  const reader = new RowScoreReader(table);
  restRow.forEach((i, r) => {
    let at = restTable.rowStart[r] ?? 0;
    reader.row(i);
    for (let k = rowStart[i] ?? 0, end = rowStart[i + 1] ?? 0; k < end; k++) {
      const j = mentor[k] ?? 0;
      if (full[j]) continue;
      restTable.mentor[at] = restColumn[j] ?? 0;
      restTable.score[at++] = reader.at(k);
    }
    restTable.rowStart[r + 1] = at;
  });
  const restCapacity = Int32Array.from(restMentor, (j) => cap[j] ?? 0);
  const restSolve = restRow.length > 0 ? solveRest() : undefined;
  if (restSolve === null) return undefined;

  // The whole assignment, and potentials for the whole problem (the sink at 0).
  const assigned = new Int32Array(n).fill(unmatchedRow);
  const pot = new Float64Array(n + m + 1);
  const { D } = model;
  for (let i = 0; i < n; i++) {
    if (skip[i]) assigned[i] = freeRow;
    else pot[i] = -D;
  }
  if (restSolve) {
    const { pot: p, mentorOf: restOf } = restSolve;
    const sink = p[restTable.mentees + restTable.mentors] ?? 0;
    for (let r = 0; r < restRow.length; r++) {
      const i = restRow[r] ?? 0;
      const c = restOf[r] ?? -1;
      if (c < 0) return undefined;
      assigned[i] = restMentor[c] ?? 0;
      pot[i] = (p[r] ?? 0) - sink;
    }
    restMentor.forEach((j, c) => {
      pot[n + j] = (p[restTable.mentees + c] ?? 0) - sink;
    });
  }
  // The contested region, seen from the mentees' side: potentials negated, shifted by the exit.
  const rowsThere = placeMentor.length;
  const sinkThere = placed.pot[rowsThere + columnMentee.length] ?? 0;
  columnMentee.forEach((i, c) => {
    pot[i] = sinkThere - D - (placed.pot[rowsThere + c] ?? 0);
    if ((placed.load[c] ?? 0) > 0)
      assigned[i] = placeMentor[placed.columnRow[placed.columnStart[c] ?? 0] ?? 0] ?? 0;
  });
  placeMentor.forEach((j, r) => {
    pot[n + j] = sinkThere - D - (placed.pot[r] ?? 0);
  });
  let lowestMentee = 0;
  for (let i = 0; i < n; i++) if (!skip[i]) lowestMentee = Math.min(lowestMentee, pot[i] ?? 0);
  // A mentor without places takes no one: below every mentee, no pair to it can improve.
  for (let j = 0; j < m; j++) if ((cap[j] ?? 0) <= 0) pot[n + j] = lowestMentee;
  if (!provenOnEveryPair(table, cap, skip, model, pot, assigned)) return undefined;

  const candidatePairs = (restSolve?.candidatePairs ?? 0) + placed.candidateArcs;
  return {
    mentorOf: Int32Array.from(assigned, (j) => (j >= 0 ? j : -1)),
    certificate: {
      optimal: true,
      method: 'regions',
      rounds: (placeMentor.length > 0 ? 1 : 0) + (restSolve?.rounds ?? 0),
      candidatePairs,
      eligiblePairs: pairCount(table),
    },
  };

  /**
   * The rest's pair costs, written over its scores: the rest's table is not read as scores
   * again, and a copy would be 2 bytes more a pair (a dense cohort of 10,000 mentees and
   * 20,000 one-place mentors, 115 million eligible pairs: 1,325 → 1,102 MB).
   */
  function restCosts(): Uint16Array {
    const costOfScore = costsByScore(model);
    const values = restTable.score;
    for (let k = 0; k < values.length; k++) values[k] = costOfScore[values[k] ?? 0] ?? 0;
    return values;
  }

  /** The rest's mentor per row (−1: none), potentials, rounds and candidate pairs; null: not solved. */
  function solveRest(): {
    mentorOf: Int32Array;
    pot: Float64Array;
    rounds: number;
    candidatePairs: number;
  } | null {
    if (!restByPaths) {
      const restScores = tableOfScores(restTable);
      const whole = solveWhole(
        restScores,
        sub(restCapacity),
        maximumCardinality(restScores, restCapacity, new Uint8Array(restRow.length)),
      );
      return { ...whole, rounds: whole.certificate.rounds, candidatePairs: whole.certificate.candidatePairs };
    }
    const shipped = shipFromScarceSide({
      rowStart: restTable.rowStart,
      column: restTable.mentor,
      cost: restCosts(),
      supply: new Int32Array(restRow.length).fill(1),
      capacity: restCapacity,
    });
    if (!shipped) return null;
    const mentorOf = new Int32Array(restRow.length).fill(-1);
    for (let c = 0; c < restMentor.length; c++) {
      for (let q = shipped.columnStart[c] ?? 0, end = q + (shipped.load[c] ?? 0); q < end; q++) {
        mentorOf[shipped.columnRow[q] ?? 0] = c;
      }
    }
    return { mentorOf, pot: shipped.pot, rounds: 1, candidatePairs: shipped.candidateArcs };
  }
}

/**
 * Places per mentee at which the mentees are the scarce side, solved by shortest paths. Below
 * it, where many mentees want the same mentors, a search must cross the popular mentors before
 * it reaches one with room, and cost scaling on a candidate graph is faster. Measured (single
 * runs, solving seconds, contended cohorts of 10,000 mentees, shortest paths / cost scaling
 * with its empty mentors leveled, cost-scaling.ts): one place, mentors for 150 / 160 / 170 /
 * 175 / 180 / 200% of the mentees 6.05 / 5.96 / 5.80 / 4.61 / 4.12 / 3.20 and 2.96 / 3.69 /
 * 4.45 / 4.45 / 4.98 / 5.82; two places for 150 / 170 / 175 / 180% 3.20 / 2.54 / 2.32 / 2.13
 * and 1.57 / 2.01 / 1.68 / 2.28; three places for 150 / 170 / 175 / 180 / 200% 2.47 / 1.82 /
 * 1.67 / 1.46 / 1.11 and 1.40 / 1.45 / 1.52 / 1.34 / 1.62. Uncontended cohorts are fast either
 * way (at 150%, uniform with one place 1.39 / 1.31, two 0.65 / 0.58). It was 1.5. Since the
 * searches keep the rows' order and start with a row reduction (shortest-paths.ts), one place
 * (end to end, single runs, shortest paths / cost scaling): 150% 5.24 / 2.81 s, 170% 4.83 /
 * 3.44, 200% 2.86 / 3.68.
 */
const plentifulPlaces = 1.8;

/** The flow model's integer costs for an objective (see the top of this file). */
export interface CostModel {
  /** Cost units per tenth of a point. */
  A: number;
  /** Cost of the unmatched exit. */
  D: number;
  costOf: (score: number) => number;
}

function costModel(table: ScoreTable, objective: Objective, skip: Uint8Array): CostModel {
  let rows = 0;
  for (let i = 0; i < table.mentees; i++) if (!skip[i]) rows++;
  return costsFor(objective, rows);
}

/** Each score's cost, looked up where costs are written per pair. */
function costsByScore({ costOf }: CostModel): Int32Array {
  return Int32Array.from({ length: maxScoreTenths + 1 }, (_, score) => costOf(score));
}

/** The costs for `mentees` mentees in the problem, each a unit of flow (alike-people.ts too). */
export function costsFor(objective: Objective, mentees: number): CostModel {
  const A = objective === 'quality' ? mentees + 1 : 1;
  return {
    A,
    D: A * maxScoreTenths + (objective === 'quality' ? 1 : mentees * maxScoreTenths + 1),
    costOf: pairCost(A),
  };
}

/**
 * Whether the potentials `pot` prove `assigned` optimal on every residual arc of the whole
 * problem, each costed by `model`: the proof of a solution found some other way than by
 * `solveWhole`'s rounds (which check their own as they go).
 */
function provenOnEveryPair(
  table: ScoreTable,
  capacity: Int32Array,
  skip: Uint8Array,
  model: CostModel,
  pot: Float64Array,
  assigned: Int32Array,
): boolean {
  const check = new RowScans({ table, capacity, skip, unitsPerTenth: model.A, D: model.D }, 0).residual(
    pot,
    assigned,
  );
  return !check.broken && check.violated.length === 0;
}

/** A solution with what proves it: potentials (mentees, mentors, sink) and the candidate graph. */
interface ProvenSolution extends Solution {
  pot: Float64Array;
  candStart: Int32Array;
  candCol: Int32Array;
}

/** The whole problem as one min-cost flow, on a candidate graph widened until the proof holds. */
function solveWhole(
  table: ScoreTable,
  options: SolveOptions,
  structure: CardinalityStructure,
  /**
   * The exits' cost (moderate exits, `solveWithModerateExits`; else the objective's own) and the
   * contested mentees' candidates (else every pair of theirs).
   */
  shape: { exitCost?: number; candidates?: ContestedCandidates } = {},
): ProvenSolution {
  const n = table.mentees;
  const m = table.mentors;
  const { capacity: cap } = options;
  const skip = options.skipRows ?? new Uint8Array(n);
  const onePlace = onePlaceEach(cap);
  const perRow = options.candidatesPerRow ?? candidatesFor(cap, pairCount(table));
  const firstStopUnits = options.firstRoundStop ?? (onePlace ? singlePlaceFirstStop : 1);
  // Cohorts of more than `manyPairs` eligible pairs: several of the settings below are theirs.
  const large = pairCount(table) > manyPairs;
  const warmUnits = onePlace ? singlePlaceFirstStop : large ? largeWarmEpsilon : warmEpsilon;
  const widenCount = widenCandidatesFor(perRow, pairCount(table), onePlace);
  const growing = options.growingWidening ?? large;
  const widenLimit = growing ? growthLimit * widenCount : widenCount;
  const mentorsBid = options.wideningByMentor ?? large;
  const nearToo = options.nearWidening ?? (large && !onePlace);
  const looseStop = options.looseRoundStop ?? (large ? looseRoundStop : 1);
  const listsShare = options.mentorListsShare ?? (mentorsBid ? 0 : mentorListsShare);
  const repairLimit = options.repairLimit ?? defaultRepairLimit;
  const repairBudget = options.repairBudget ?? defaultRepairBudget;
  const repairLastSearches = options.repairLastSearches ?? lastRepairSearches;
  const model = costModel(table, options.objective, skip);
  const { A } = model;
  // ε and tolerances are counted in tenths of a point; costs in units, A to a tenth.
  const tolerance = roughTolerance * A;
  const D = shape.exitCost ?? model.D;
  // ε = 1 on costs scaled by more than the number of nodes means optimal (cost-scaling.ts).
  // The solve starts at a small speculative scale that divides the full one (see the top).
  const speculative = options.speculativeScale ?? defaultSpeculativeScale;
  const fullScale = speculative * Math.ceil((n + m + 2) / speculative);
  let scale = speculative;

  // Nodes: mentees 0..n−1, mentors n..n+m−1, the sink t = n+m.
  const t = n + m;
  const nodes = n + m + 1;
  // With a helper thread, the prices and the candidate graph are where it reads them (parallel-bids.ts).
  const space = options.solveHelper ? new BidSpace(n, m, pairCount(table)) : undefined;
  const price = space?.price ?? new Float64Array(nodes);
  const pot = new Float64Array(nodes);
  const assigned = new Int32Array(n).fill(freeRow);
  const assignedCost = new Float64Array(n);
  const load = new Int32Array(m);
  const slotStart = new Int32Array(m + 1);
  for (let j = 0; j < m; j++) slotStart[j + 1] = (slotStart[j] ?? 0) + Math.max(0, cap[j] ?? 0);
  const slotRow = new Int32Array(slotStart[m] ?? 0);

  // Every pair of a contested mentee (its whole row of the table, not a list), unless the shape
  // asks for a sparse graph: then it has a list like everyone else. Skipped rows have none.
  const wholeRow =
    shape.candidates === 'sparse'
      ? new Uint8Array(n)
      : Uint8Array.from(structure.contested, (contested, i) => (contested && !skip[i] ? 1 : 0));
  const candidates = initialCandidates(table, cap, perRow, skip, { ...structure, contested: wholeRow });
  let candStart: Int32Array = new Int32Array(0);
  let candCol: Int32Array = new Int32Array(0);
  let candCost: Int32Array = new Int32Array(0);
  /**
   * Whether every list has only grown at its end since the graph was last built (the re-choice
   * cuts them): the next build then moves each row's arcs as they are and writes only the new
   * ones, instead of every arc from the lists again (`two-places-50k`: 17 million arcs, 9 rounds).
   */
  let listsOnlyGrew = false;
  const costByScore = costsByScore(model);
  const buildCandidateGraph = () => {
    const before = listsOnlyGrew ? candStart.slice() : undefined;
    const [oldCol, oldCost] = [candCol, candCost];
    candStart = space?.start ?? new Int32Array(n + 1);
    for (let i = 0; i < n; i++) {
      const length = wholeRow[i] ? rowLength(table, i) : (candidates[i]?.length ?? 0);
      candStart[i + 1] = (candStart[i] ?? 0) + length;
    }
    const arcs = candStart[n] ?? 0;
    ({ mentor: candCol, cost: candCost } = space?.arcs(arcs) ?? {
      mentor: new Int32Array(arcs),
      cost: new Int32Array(arcs),
    });
    // Last row first: in the helper's shared memory the new arcs overwrite the old, and a row
    // only moves up (the rows before it only grew), onto rows already moved.
    const inPlace = candCol.buffer === oldCol.buffer;
    for (let i = n - 1; i >= 0; i--) {
      const at = candStart[i] ?? 0;
      let kept = 0;
      if (before) {
        const from = before[i] ?? 0;
        kept = (before[i + 1] ?? 0) - from;
        if (inPlace) {
          candCol.copyWithin(at, from, from + kept);
          candCost.copyWithin(at, from, from + kept);
        } else {
          candCol.set(oldCol.subarray(from, from + kept), at);
          candCost.set(oldCost.subarray(from, from + kept), at);
        }
      }
      // Each row's arcs by a small function of their own: in `tandem match`, where the build runs
      // a few times, cold, one place at 170%'s builds took 118 ms with these loops inline against
      // 95 (medians of 4), `one-to-one`'s 48 against 43.
      if (wholeRow[i]) {
        writeRowArcs(table, i, kept, candCol, candCost, at + kept, candStart[i + 1] ?? 0, costByScore);
        continue;
      }
      const list = candidates[i];
      if (!list) continue;
      const { items } = list;
      if (items instanceof Uint32Array) {
        writeListArcs(items, kept, list.length, candCol, candCost, at + kept, costByScore);
        continue;
      }
      for (let e = kept, k = at + kept; e < list.length; e++, k++) {
        const entry = items[e] ?? 0;
        const j = mentorOfEntry(entry);
        candCol[k] = j;
        candCost[k] = costByScore[entry - j * entryBase] ?? 0;
      }
    }
    listsOnlyGrew = true;
  };

  /** Each mentor's mentees, packed by mentor, as the exact potentials read them. */
  const fillPlaces = () => {
    load.fill(0);
    slotRow.fill(-1);
    for (let i = 0; i < n; i++) {
      const j = assigned[i] ?? freeRow;
      if (j < 0) continue;
      slotRow[(slotStart[j] ?? 0) + (load[j] ?? 0)] = i;
      load[j] = (load[j] ?? 0) + 1;
    }
  };

  /** Prices at the current scale from the integer potentials. */
  const priceFromPotentials = () => {
    for (let x = 0; x < nodes; x++) price[x] = (pot[x] ?? 0) * scale;
  };
  /** Integer potentials from the prices at the current scale, rounded down. */
  const potentialsFromPrices = () => {
    for (let x = 0; x < nodes; x++) pot[x] = Math.floor((price[x] ?? 0) / scale);
  };

  // --- Exact potentials: a label-correcting pass from the scaled prices -------------------

  /**
   * Integer potentials from the prices, corrected by a label-correcting pass so that every
   * residual arc of the candidate graph has a non-negative reduced cost. At ε = 1 on the full
   * scale every such arc is within 1/scale of a unit of that, so no cycle among them is
   * negative and this converges; a node relaxed more often than there are nodes would mean a
   * negative cycle, which is a bug. At the speculative scale a long cycle may be negative:
   * when the pass meets one, the flow is pushed round it and the pass starts again (up to
   * `cycleCancels` times; the prices then follow the potentials found, which fit the new flow
   * where the prices may not). False when the pass runs out of its budget with no cycle left
   * to push round (or none it may), and the caller goes on at a larger scale.
   */
  const exactPotentials = (): boolean => {
    const cancels = options.cycleCancels ?? defaultCycleCancels;
    for (let pushed = 0; ; pushed++) {
      const outcome = labelCorrecting(scale < fullScale && pushed < cancels);
      if (outcome === 'pushed round a cycle') continue;
      if (outcome === 'potentials' && pushed > 0) priceFromPotentials();
      return outcome === 'potentials';
    }
  };

  /** The pass itself, from the prices; where `mayPush`, it looks for a cycle every `nodes` relaxations and when its budget runs out. */
  const labelCorrecting = (mayPush: boolean): 'potentials' | 'pushed round a cycle' | 'out of budget' => {
    const speculating = scale < fullScale;
    let budget = speculating
      ? (options.speculativeRelaxations ?? defaultSpeculativeRelaxations) * nodes
      : Number.POSITIVE_INFINITY;
    potentialsFromPrices();
    const dist = new Float64Array(nodes);
    const queue = new Int32Array(nodes);
    const queued = new Uint8Array(nodes).fill(1);
    const relaxations = new Int32Array(nodes);
    /** The node each node was last relaxed from: a cycle among these arcs is a negative one. */
    const parent = new Int32Array(nodes).fill(-1);
    let from = 0;
    let untilLook = nodes;
    for (let x = 0; x < nodes; x++) queue[x] = x;
    let head = 0;
    let size = nodes;
    const relaxTo = (v: number, d: number) => {
      if (d >= (dist[v] ?? 0)) return;
      dist[v] = d;
      parent[v] = from;
      budget--;
      untilLook--;
      relaxations[v] = (relaxations[v] ?? 0) + 1;
      if ((relaxations[v] ?? 0) > nodes) {
        if (!speculating) throw certificateBug('a negative cycle');
        budget = -1;
      }
      if (!queued[v]) {
        queued[v] = 1;
        queue[(head + size++) % nodes] = v;
      }
    };
    while (size > 0) {
      if (mayPush && (untilLook <= 0 || budget < 0)) {
        if (pushRoundCycle(parent)) return 'pushed round a cycle';
        untilLook = nodes;
      }
      if (budget < 0) return 'out of budget';
      const u = queue[head] ?? 0;
      head = (head + 1) % nodes;
      size--;
      queued[u] = 0;
      from = u;
      const du = dist[u] ?? 0;
      const pu = pot[u] ?? 0;
      if (u < n) {
        const own = assigned[u] ?? freeRow;
        if (own === freeRow) continue;
        for (let k = candStart[u] ?? 0, end = candStart[u + 1] ?? 0; k < end; k++) {
          const j = candCol[k] ?? 0;
          if (j !== own) relaxTo(n + j, du + (candCost[k] ?? 0) + pu - (pot[n + j] ?? 0));
        }
        if (own !== unmatchedRow) relaxTo(t, du + D + pu - (pot[t] ?? 0));
      } else if (u < t) {
        const j = u - n;
        for (let s = slotStart[j] ?? 0, end = s + (load[j] ?? 0); s < end; s++) {
          const r = slotRow[s] ?? 0;
          relaxTo(r, du - (assignedCost[r] ?? 0) + pu - (pot[r] ?? 0));
        }
        if ((load[j] ?? 0) < (cap[j] ?? 0)) relaxTo(t, du + pu - (pot[t] ?? 0));
      } else {
        for (let j = 0; j < m; j++) if ((load[j] ?? 0) > 0) relaxTo(n + j, du + pu - (pot[n + j] ?? 0));
        for (let i = 0; i < n; i++) if (assigned[i] === unmatchedRow) relaxTo(i, du + pu - (pot[i] ?? 0) - D);
      }
    }
    for (let x = 0; x < nodes; x++) pot[x] = (pot[x] ?? 0) + (dist[x] ?? 0);
    return 'potentials';
  };

  /**
   * Finds a cycle among the arcs `parent` holds (from `parent[x]` to x) and, if its cost is
   * negative, pushes the flow round it: each mentee on it takes the arc it leaves by (to a
   * mentor, or its exit), and the matching costs that much less. False where there is none.
   */
  const pushRoundCycle = (parent: Int32Array): boolean => {
    const walk = new Int32Array(nodes).fill(-1);
    for (let first = 0; first < nodes; first++) {
      let x = first;
      while (x >= 0 && walk[x] === -1) {
        walk[x] = first;
        x = parent[x] ?? -1;
      }
      if (x < 0 || walk[x] !== first) continue;
      const cycle: number[] = [];
      let y = x;
      do {
        cycle.push(y);
        y = parent[y] ?? 0;
      } while (y !== x);
      // The cycle's cost: each mentee's new arc, less the arc it leaves (its mentor's, or the
      // sink's back to its exit). Each new arc's cost is read once, for the sum and the move.
      let cost = 0;
      const moves: { i: number; to: number; cost: number }[] = [];
      for (const to of cycle) {
        const from = parent[to] ?? 0;
        if (from < n) {
          const c = to === t ? D : arcCost(from, to - n);
          cost += c;
          moves.push({ i: from, to, cost: c });
        } else if (to < n) cost -= from === t ? D : (assignedCost[to] ?? 0);
      }
      if (cost >= 0) return false;
      for (const move of moves) {
        assigned[move.i] = move.to === t ? unmatchedRow : move.to - n;
        assignedCost[move.i] = move.cost;
      }
      fillPlaces();
      return true;
    }
    return false;
  };

  /** The cost of mentee i's candidate arc to mentor j. */
  const arcCost = (i: number, j: number): number => {
    for (let k = candStart[i] ?? 0, end = candStart[i + 1] ?? 0; k < end; k++)
      if (candCol[k] === j) return candCost[k] ?? 0;
    throw new Error(`matching solver: mentee ${i} has no candidate arc to mentor ${j}`);
  };

  /**
   * Up the scale after the potentials failed: the prices times `scaleStep` (ε = 1 at one
   * scale is ε = scaleStep at the next), ε down to 1 again, and potentials again, until they
   * hold; at the full scale they always do.
   */
  const climbScale = (graph: CandidateGraph, flow: FlowArrays) => {
    do {
      const last = scale * scaleStep >= fullScale;
      const factor = last ? fullScale / scale : scaleStep;
      for (let x = 0; x < nodes; x++) price[x] = (price[x] ?? 0) * factor;
      scale = last ? fullScale : scale * scaleStep;
      costScale(graph, cap, skip, D, scale, price, factor, 1, flow, bidding);
      fillPlaces();
    } while (!exactPotentials());
  };

  // --- Solve, prove, widen -----------------------------------------------------------------

  /** Per mentee, how often it has been widened since the re-choice. */
  const widenings = new Int32Array(n);
  const setting = { table, capacity: cap, skip, unitsPerTenth: A, D };
  const helper = options.solveHelper?.(setting, widenLimit);
  const bidding = helper && space ? { helper, space } : undefined;
  const scans = new RowScans(setting, widenLimit, helper?.sharesTable ? helper : undefined);
  try {
    return solveOnCandidates();
  } finally {
    helper?.close();
  }

  /** The rounds: solve on the candidate graph, prove on every eligible pair, widen, until the proof holds. */
  function solveOnCandidates(): ProvenSolution {
    let rounds = 1;
    let epsStart = Math.floor((A * maxScoreTenths * scale) / firstEpsilonShare);
    let exact = false;
    /** Mentees the exact certificate found beaten, to repair by shortest paths. */
    let toRepair: number[] = [];
    let repairs = 0;
    /** Mentees the last coarse round found violating. */
    let violating = n;
    /** Whether so many mentees violate that the next coarse round stops loose, rather than widen everyone by their near pairs. */
    const manyViolate = (count: number) => count >= nearShare * n;
    for (;;) {
      buildCandidateGraph();
      const graph = { start: candStart, mentor: candCol, cost: candCost };
      const flow = { assigned, assignedCost };
      let violated: number[] = [];
      if (!exact) {
        // Coarse: stop at ε of one cost unit (a one-place cohort's first round at a few, a large
        // cohort's rounds at a few while many violate), where prices are within that of optimal,
        // and widen wherever an outside pair clearly beats them.
        const loose = rounds > 1 && manyViolate(violating) ? looseStop : 1;
        costScale(
          graph,
          cap,
          skip,
          D,
          scale,
          price,
          epsStart,
          (rounds === 1 ? firstStopUnits : loose) * A * scale,
          flow,
          bidding,
        );
        potentialsFromPrices();
        violated = scans.outside(pot, assigned, loose * tolerance);
        violating = violated.length;
        exact =
          violated.length <=
          Math.min(repairLimit, rounds > 1 && onePlace ? onePlaceCoarseToExact : coarseToExact);
        // Should the next stage be exact, it starts a step below where this round stopped.
        epsStart = Math.floor((loose * A * scale) / epsilonShrink);
      }
      if (exact) {
        // Exact: a repair by shortest paths when the certificate found only a few mentees
        // beaten; else on down to ε = 1 (from a few units when resuming), potentials.
        let repaired = false;
        if (toRepair.length > 0) {
          const budget = repairBudget * (candStart[n] ?? 0);
          repaired = repairByShortestPaths(graph, cap, D, flow, pot, toRepair, budget, repairLastSearches);
          // The potentials fit the flow a repair leaves, even where it gave up (the mentees it
          // had not reached then free): cost scaling resumes from them, now or should the next give up.
          priceFromPotentials();
        }
        if (!repaired) {
          costScale(graph, cap, skip, D, scale, price, epsStart, 1, flow, bidding);
          fillPlaces();
          if (!exactPotentials()) climbScale(graph, flow);
        }
        const check = scans.residual(pot, assigned);
        if (check.broken) throw certificateBug(check.broken);
        violated = check.violated;
        if (violated.length === 0) break;
        repairs = toRepair.length > 0 ? repairs + 1 : 0;
        toRepair = violated.length <= repairLimit && repairs < repairsInARow ? violated : [];
        if (scale !== speculative) {
          // Back down the scale, from the proof's potentials (exact, in whole units): the
          // widened graph may well hold at the speculative scale.
          scale = speculative;
          priceFromPotentials();
        }
        epsStart = exactRestartEpsilon * A * scale;
      } else {
        if (rounds === 1) {
          // The first prices show where each mentee stands: re-choose everyone's candidates by
          // reduced cost, keeping the mentor they have and their maximum-matching mentor.
          reselect();
          violated = [];
        }
        epsStart = warmUnits * A * scale;
      }
      rounds++;
      if (mentorsBid && !exact && rounds > 2) widenByMentor(violated);
      widen(violated);
      if (nearToo && !exact && violated.length > 0 && !manyViolate(violated.length)) widenNear();
    }

    return {
      mentorOf: Int32Array.from(assigned, (j) => (j >= 0 ? j : -1)),
      certificate: {
        optimal: true,
        method: shape.exitCost === undefined ? 'cost scaling' : 'moderate exits',
        rounds,
        candidatePairs: candStart[n] ?? 0,
        eligiblePairs: pairCount(table),
      },
      pot,
      candStart,
      candCol,
    };
  }

  /**
   * Gives each mentor whose price the violating mentees' outside pairs beat its best
   * `biddersPerPlace` of them per place, which would outbid the others for its places.
   */
  function widenByMentor(violated: number[]) {
    const slots = new Int32Array(m);
    for (let j = 0; j < m; j++)
      slots[j] = Math.min(biddersPerMentor, biddersPerPlace * Math.max(0, cap[j] ?? 0));
    addBestBidders(violated, slots, -tolerance);
  }

  /** Adds to every mentee's list up to `nearCount` outside pairs whose reduced cost is under `nearTolerance`. */
  function widenNear() {
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (!skip[i] && !wholeRow[i]) rows.push(i);
    scans.widen(pot, rows, new Int32Array(rows.length).fill(nearCount), candidates, nearTolerance * A);
  }

  /** Gives each mentor that fewer mentees list than `listsShare` of the mean its best bidders among `rows`. */
  function completeByMentor(rows: number[]) {
    const listed = listsPerMentor(candidates, m);
    // A whole row lists every one of its mentors.
    for (let i = 0; i < n; i++) {
      if (!wholeRow[i]) continue;
      for (let k = table.rowStart[i] ?? 0; k < (table.rowStart[i + 1] ?? 0); k++) {
        const j = table.mentor[k] ?? 0;
        listed[j] = (listed[j] ?? 0) + 1;
      }
    }
    let lists = 0;
    let open = 0;
    for (let j = 0; j < m; j++) {
      lists += listed[j] ?? 0;
      if ((cap[j] ?? 0) > 0) open++;
    }
    const wanted = Math.round((listsShare * lists) / Math.max(1, open));
    const slots = listed.map((count) => Math.max(0, wanted - count));
    addBestBidders(rows, slots, Number.POSITIVE_INFINITY);
  }

  /** Gives each mentor j up to `slots[j]` of its best outside bidders among `rows` whose reduced cost is below `below`. */
  function addBestBidders(rows: number[], slots: Int32Array, below: number) {
    const keepStart = new Int32Array(m + 1);
    for (let j = 0; j < m; j++) keepStart[j + 1] = (keepStart[j] ?? 0) + (slots[j] ?? 0);
    scans.bidders(pot, rows, keepStart, below, candidates);
  }

  /**
   * Each mentee's candidates become its own mentor, its seed mentor and its best by reduced
   * cost; then mentors that few list get their best bidders.
   */
  function reselect() {
    listsOnlyGrew = false;
    const everyone: number[] = [];
    for (let i = 0; i < n; i++) {
      if (skip[i] || wholeRow[i]) continue;
      const own = assigned[i] ?? freeRow;
      const seed = structure.mentorOf[i] ?? -1;
      candidates[i]?.keepOnly((entry) => {
        const j = mentorOfEntry(entry);
        return j === own || j === seed;
      });
      everyone.push(i);
    }
    widen(everyone);
    widenings.fill(0);
    if (listsShare > 0) completeByMentor(everyone);
  }

  /**
   * Adds to each violating mentee the outside pairs of least reduced cost: `widenCount` of
   * them, doubled each time the mentee violates again, up to `widenLimit`.
   */
  function widen(violated: number[]) {
    const count = violated.map((i) => {
      const before = widenings[i] ?? 0;
      widenings[i] = before + 1;
      return Math.min(widenLimit, widenCount * 2 ** Math.min(30, before));
    });
    scans.widen(pot, violated, count, candidates);
  }
}

/** How many candidate lists a mentor may appear on per place before it counts as contested. */
const listsPerPlace = 4;
/**
 * How far into a row, past its first list, the search for mentors few others list reads, in
 * pairs. In a bootcamp nearly every mentor is listed often, and the search read on through
 * most of each row (`bootcamp-one-to-one`: 68 million pairs, 0.23 s) and added weak pairs from
 * deep in it, which every round then carried. farm-bench, `tandem match`, 5 runs, to the end
 * of the row → 4,096 pairs: `bootcamp-one-to-one` 4.68 → 4.35 s (paired ratio 0.96), 769 →
 * 710 MiB, the same total score (other pairs among equal ones); `contention-10k` 1.83 → 1.83 s
 * (0.99), the same `matches.csv`; 3 runs, `bootcamp` 2.12 → 2.08 (0.99),
 * `bootcamp-shortage-99` 2.85 → 2.85 (1.00). Not a multiple of the list's length: the large
 * cohorts' lists of 32 need their search's depth, and at 512 pairs `two-places-50k` took 10
 * rounds and 43.2 s instead of 9 and 38.3, `shortage-50k` 10 rounds instead of 8.
 */
const openSearchPairs = 4096;

/**
 * Each mentee's `perRow` best-scoring mentors (ties: lower index); as many more among the
 * mentors that few mentees list, because when everyone lists the same popular mentors most
 * mentees end up elsewhere; and its mentor in a maximum matching. A contested mentee's list
 * stays empty: its candidates are its whole row of the table (`solveWhole` reads them there,
 * rather than from millions of entries copied into lists).
 */
function initialCandidates(
  table: ScoreTable,
  capacity: Int32Array,
  perRow: number,
  skip: Uint8Array,
  { mentorOf: seed, contested }: CardinalityStructure,
): EntryList[] {
  const { mentees: n, mentors: m, rowStart, mentor } = table;
  const score = new RowScoreReader(table);
  const firstPairs = (i: number) => (skip[i] || contested[i] ? 0 : Math.min(perRow, rowLength(table, i)));
  // How many mentees' first pairs name each mentor.
  const listed = new Int32Array(m);
  for (let i = 0; i < n; i++) {
    for (let k = rowStart[i] ?? 0, end = k + firstPairs(i); k < end; k++) {
      const j = mentor[k] ?? 0;
      listed[j] = (listed[j] ?? 0) + 1;
    }
  }
  const open = Uint8Array.from(listed, (count, j) => (count <= listsPerPlace * (capacity[j] ?? 0) ? 1 : 0));
  // Each list is put together here and copied at its length: no list is left with room to spare.
  const list = entryList(m, 2 * perRow + 1);
  return Array.from({ length: n }, (_, i) => {
    if (skip[i] || contested[i]) return entryList(m, 0);
    list.length = 0;
    score.row(i);
    // The row's first pairs (rows come best first), then mentors few list among the pairs after them.
    const j = seed[i] ?? -1;
    let seedListed = false;
    let k = rowStart[i] ?? 0;
    for (const first = k + firstPairs(i); k < first; k++) {
      list.push((mentor[k] ?? 0) * entryBase + score.at(k));
      if (mentor[k] === j) seedListed = true;
    }
    const end = rowStart[i + 1] ?? 0;
    const stop = Math.min(end, k + openSearchPairs);
    for (let added = 0; added < perRow; k++, added++) {
      k = nextOpen(mentor, open, k, stop, j);
      if (k === stop) break;
      const other = mentor[k] ?? 0;
      list.push(other * entryBase + score.at(k));
      if (other === j) seedListed = true;
    }
    for (; j >= 0 && !seedListed && k < end; k++) {
      if (mentor[k] !== j) continue;
      list.push(j * entryBase + score.at(k));
      seedListed = true;
    }
    return list.copy();
  });
}

/**
 * The first pair from `k` to `stop` whose mentor is open (a byte a mentor) or is `j`, else
 * `stop`. A small function of its own: `bootcamp-one-to-one`'s search reads 39 million pairs
 * to find 400,000 (866 of its 10,000 mentors are open), and the first candidates took 227 ms
 * with this loop inline in the row's callback against 154 with it here (medians of 4, in
 * `tandem match`; the JIT compiles a small, often called function early, where a loop run once
 * a row waits for on-stack replacement).
 */
function nextOpen(
  mentor: Uint16Array | Int32Array,
  open: Uint8Array,
  k: number,
  stop: number,
  j: number,
): number {
  for (; k < stop; k++) {
    const other = mentor[k] ?? 0;
    if (open[other] || other === j) return k;
  }
  return stop;
}

/**
 * Row i's pairs from its `kept`-th on as arcs `to .. last` of the candidate graph, each run's
 * cost looked up once.
 */
function writeRowArcs(
  table: ScoreTable,
  i: number,
  kept: number,
  candCol: Int32Array,
  candCost: Int32Array,
  to: number,
  last: number,
  costByScore: Int32Array,
): void {
  const { rowStart, mentor, runStart, runEnd, runScore } = table;
  let k = (rowStart[i] ?? 0) + kept;
  for (let r = runStart[i] ?? 0; to < last; r++) {
    const c = costByScore[runScore[r] ?? 0] ?? 0;
    for (const end = runEnd[r] ?? 0; k < end; k++, to++) {
      candCol[to] = mentor[k] ?? 0;
      candCost[to] = c;
    }
  }
}

/**
 * A list's 32-bit entries `from .. to` as arcs from `at`: a shift and a mask, each score's cost
 * looked up (where a division and a cost worked out per arc took the build 1.4–2.3 times as long).
 */
function writeListArcs(
  items: Uint32Array,
  from: number,
  to: number,
  candCol: Int32Array,
  candCost: Int32Array,
  at: number,
  costByScore: Int32Array,
): void {
  for (let e = from, k = at; e < to; e++, k++) {
    const entry = items[e] ?? 0;
    candCol[k] = entry >>> entryBits;
    candCost[k] = costByScore[entry & (entryBase - 1)] ?? 0;
  }
}

/** How many of the mentees' candidate lists name each mentor. */
function listsPerMentor(lists: readonly EntryList[], mentors: number): Int32Array {
  const listed = new Int32Array(mentors);
  for (let i = 0; i < lists.length; i++) {
    const list = lists[i];
    if (!list) continue;
    const { items, length } = list;
    for (let e = 0; e < length; e++) {
      const j = mentorOfEntry(items[e] ?? 0);
      listed[j] = (listed[j] ?? 0) + 1;
    }
  }
  return listed;
}

function certificateBug(arc: string): Error {
  return new Error(`matching solver: reduced cost of ${arc} is negative; the solution is not proven optimal`);
}
