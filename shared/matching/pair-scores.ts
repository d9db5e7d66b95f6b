import { resized, typedArray } from './typed-arrays.ts';

/**
 * Pair scores, 0–100, from the applications and the program's weights. Scores are kept in
 * tenths of a point as integers (0–1000) so the solver's sums are exact.
 *
 * score = 100 × (w_topics·topics + w_stepsAhead·stepsAhead + w_timezone·timezone + w_language·language)
 *         / (sum of the weights) + preferredBonus when asked for, at most 100, where each part is 0–1:
 * - topics: the share of the mentee's topics the mentor also has, each topic weighted by its
 *   rarity in the cohort (ln(1 + people / people with the topic)), so rare shared topics count more;
 * - stepsAhead: 1 for a lead inside `idealLead`, less for a smaller or much larger lead;
 * - timezone: the share of the mentee's working hours that overlap the mentor's;
 * - language: 1 when they share a language.
 */

export const maxScoreTenths = 1000;

/** Why a pair can never be proposed, in the order the rules are checked. */
export const ineligibilityReasons = [
  'forbidden',
  'avoid',
  'same-organization',
  'earlier-partner',
  'not-ahead',
  'no-shared-language',
  'no-shared-topic',
  'below-min-score',
] as const;
export type IneligibilityReason = (typeof ineligibilityReasons)[number];

/** `evaluatePair`'s result for an ineligible pair: −(1 + the reason's index). */
const ineligible = Object.fromEntries(ineligibilityReasons.map((reason, k) => [reason, -(k + 1)])) as Record<
  IneligibilityReason,
  number
>;

export function reasonOfCode(code: number): IneligibilityReason {
  return ineligibilityReasons[-code - 1] ?? 'forbidden';
}

/** Rules that even an organizer's pin cannot override (a pin overrides only the minimum score). */
export const ruleReasons: ReadonlySet<IneligibilityReason> = new Set(
  ineligibilityReasons.filter((reason) => reason !== 'below-min-score'),
);

/**
 * Every eligible pair, by mentee: mentee i's pairs are `rowStart[i] .. rowStart[i + 1]`, best
 * score first, so a reader after the best few, or after every pair whose cost is under a
 * bound, stops early.
 *
 * The scores are kept as runs of equal scores, not one a pair: a row best score first is a few
 * hundred runs at most (a score is one of 1,001 values), so the scores take a few megabytes
 * where a column took two bytes a pair (`bootcamp-one-to-one`: 2.6 million runs for 92 million
 * pairs, 184 MB as a column). Row i's runs are `runStart[i] .. runStart[i + 1]`; run r's pairs
 * score `runScore[r]` and end before pair `runEnd[r]`. A reader of a row in order takes a run's
 * score (and cost) once for all its pairs.
 */
export interface ScoreTable {
  mentees: number;
  mentors: number;
  rowStart: Int32Array;
  mentor: Uint16Array | Int32Array;
  runStart: Int32Array;
  runEnd: Int32Array;
  runScore: Uint16Array;
  /** Set by scoring, which writes each row best score first: `bestFirstRows` need not check. */
  bestFirst?: true;
}

/** A table with a score a pair, as tests and the solver's smaller tables put one together: `tableOfScores` makes it a `ScoreTable`. */
export interface ScoreColumns {
  mentees: number;
  mentors: number;
  rowStart: Int32Array;
  mentor: Uint16Array | Int32Array;
  score: Uint16Array;
}

/** How many eligible pairs mentee i has in the table. */
export function rowLength(table: ScoreTable, i: number): number {
  return (table.rowStart[i + 1] ?? 0) - (table.rowStart[i] ?? 0);
}

/** Every eligible pair in the table. */
export function pairCount(table: ScoreTable): number {
  return table.mentor.length;
}

/** The run of row i that holds its pair k (which must be in row i): a binary search of the row's runs. */
export function runAt(table: ScoreTable, i: number, k: number): number {
  const { runEnd } = table;
  let low = table.runStart[i] ?? 0;
  let high = (table.runStart[i + 1] ?? 0) - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((runEnd[middle] ?? 0) > k) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** The score of pair k, in row i. */
export function scoreAt(table: ScoreTable, i: number, k: number): number {
  return table.runScore[runAt(table, i, k)] ?? 0;
}

/** A table's scores read row by row in pair order: `row(i)`, then `at(k)` for row i's pairs k, never going back. */
export class RowScoreReader {
  private readonly table: ScoreTable;
  private run = 0;
  /** The row's last run: a pair past the row reads it, rather than the runs after. */
  private last = 0;

  constructor(table: ScoreTable) {
    this.table = table;
  }

  row(i: number): void {
    this.run = this.table.runStart[i] ?? 0;
    this.last = (this.table.runStart[i + 1] ?? 0) - 1;
  }

  at(k: number): number {
    const { runEnd } = this.table;
    while (this.run < this.last && (runEnd[this.run] ?? 0) <= k) this.run++;
    return this.table.runScore[this.run] ?? 0;
  }
}

/** The table's scores, one a pair: for tests and the few readers that reorder pairs. */
export function scoreColumn(table: ScoreTable): Uint16Array {
  const score = new Uint16Array(pairCount(table));
  for (let i = 0, k = 0; i < table.mentees; i++) {
    for (let r = table.runStart[i] ?? 0, end = table.runStart[i + 1] ?? 0; r < end; r++) {
      const runEnd = table.runEnd[r] ?? 0;
      score.fill(table.runScore[r] ?? 0, k, runEnd);
      k = runEnd;
    }
  }
  return score;
}

/** `columns` with its scores as runs. */
export function tableOfScores({ mentees, mentors, rowStart, mentor, score }: ScoreColumns): ScoreTable {
  const runStart = new Int32Array(mentees + 1);
  for (let i = 0; i < mentees; i++) {
    let runs = 0;
    for (let k = rowStart[i] ?? 0, end = rowStart[i + 1] ?? 0; k < end; k++) {
      if (k === rowStart[i] || score[k] !== score[k - 1]) runs++;
    }
    runStart[i + 1] = (runStart[i] ?? 0) + runs;
  }
  const runEnd = new Int32Array(runStart[mentees] ?? 0);
  const runScore = new Uint16Array(runEnd.length);
  for (let i = 0; i < mentees; i++)
    writeRuns(score, rowStart[i] ?? 0, rowStart[i + 1] ?? 0, runEnd, runScore, runStart[i] ?? 0);
  return { mentees, mentors, rowStart, mentor, runStart, runEnd, runScore };
}

/**
 * The runs of `score[from .. to)` (one row) written from run `run` on, each run's end a pair
 * index: returns where the runs end.
 */
function writeRuns(
  score: Uint16Array,
  from: number,
  to: number,
  runEnd: Int32Array,
  runScore: Uint16Array,
  run: number,
): number {
  for (let k = from; k < to; ) {
    const s = score[k] ?? 0;
    let end = k + 1;
    while (end < to && score[end] === s) end++;
    runScore[run] = s;
    runEnd[run++] = end;
    k = end;
  }
  return run;
}

/** The most runs `rows` rows of `pairs` pairs can have: a row has one a score at most. */
function mostRuns(rows: number, pairs: number): number {
  return Math.min(pairs, rows * (maxScoreTenths + 1));
}

/**
 * A `ScoreTable.mentor` array for `length` pairs among `mentors` mentors: 16 bits a pair while
 * every index fits; in shared memory when `shared`.
 */
export function mentorColumn(mentors: number, length: number, shared = false): Uint16Array | Int32Array {
  return mentors <= 0xffff ? typedArray(Uint16Array, length, shared) : typedArray(Int32Array, length, shared);
}

/** What scoring a pair reads, in typed arrays indexed by mentee or mentor, and numbers: a worker thread can be sent it. */
export interface ScoringArrays {
  menteeYears: Float64Array;
  mentorYears: Float64Array;
  menteeZone: Int32Array;
  mentorZone: Int32Array;
  zoneCount: number;
  /** Average working-hours overlap in hours, zone × zone. */
  overlapHours: Float64Array;
  /** 32-bit words per language set. */
  languageWords: number;
  menteeLanguages: Uint32Array;
  mentorLanguages: Uint32Array;
  menteeOrganization: Int32Array;
  mentorOrganization: Int32Array;
  topicWeight: Float64Array;
  menteeTopics: Csr;
  mentorTopics: Csr;
  /** Sum of the mentee's topic weights: the denominator of the topics part. */
  menteeTopicTotal: Float64Array;
  mentorsByTopic: Csr;
  /** Per mentee: mentors blocked by a rule, with the rule (index into ineligibilityReasons). */
  blocked: Csr;
  blockedReason: Uint8Array;
  /** Per mentee: mentors that earn the preferred bonus. */
  preferred: Csr;
  params: ScoreParams;
}

/** The program's matching settings, folded into the numbers the scorer multiplies by. */
export interface ScoreParams {
  /** Points per unit of each part: 100 × weight / sum of weights. */
  topics: number;
  stepsAhead: number;
  /** Per hour of overlap. */
  timezone: number;
  language: number;
  preferredBonus: number;
  minTenths: number;
  idealLead: { min: number; max: number };
  requireSharedLanguage: boolean;
  requireSharedTopic: boolean;
  excludeSameOrganization: boolean;
}

/** Compressed rows: the items of row r are `items[start[r] .. start[r + 1])`. */
export interface Csr {
  start: Int32Array;
  items: Int32Array;
}

/** The indexes 0 … keys.length − 1 by their key, in `buckets` rows (a counting sort: each row's in index order). */
export function bucketed(keys: ArrayLike<number>, buckets: number): Csr {
  const start = new Int32Array(buckets + 1);
  for (let p = 0; p < keys.length; p++) {
    const key = keys[p] ?? 0;
    start[key + 1] = (start[key + 1] ?? 0) + 1;
  }
  for (let b = 0; b < buckets; b++) start[b + 1] = (start[b + 1] ?? 0) + (start[b] ?? 0);
  const at = start.slice(0, -1);
  const items = new Int32Array(keys.length);
  for (let p = 0; p < keys.length; p++) {
    const key = keys[p] ?? 0;
    items[at[key] ?? 0] = p;
    at[key] = (at[key] ?? 0) + 1;
  }
  return { start, items };
}

/**
 * `rows` turned: row c lists the positions of `rows.items` that hold c (`items`, in order),
 * with the row each position is in (`row`).
 */
export function byItem(rows: Csr, columns: number): Csr & { row: Int32Array } {
  const { start, items } = bucketed(rows.items, columns);
  const rowAt = new Int32Array(rows.items.length);
  for (let r = 0; r < rows.start.length - 1; r++) rowAt.fill(r, rows.start[r] ?? 0, rows.start[r + 1] ?? 0);
  return { start, items, row: Int32Array.from(items, (k) => rowAt[k] ?? 0) };
}

/**
 * How well a lead of `lead` years fits "a few steps ahead": 1 inside the ideal range, from
 * 0.4 up to 1 below it, and 7 points less per year above it, never below 0.2. A mentor who is
 * not ahead at all (lead ≤ 0) is not eligible; that is checked before this is used.
 */
export function stepsAheadFit(lead: number, ideal: { min: number; max: number }): number {
  if (lead < ideal.min) return 0.4 + (0.6 * lead) / ideal.min;
  if (lead <= ideal.max) return 1;
  return Math.max(0.2, 1 - 0.07 * (lead - ideal.max));
}

/** Mentee's pair context that `evaluatePair` needs, gathered once per mentee. */
export interface PairFlags {
  /** 0, or 1 + the index in ineligibilityReasons of a rule on this named pair. */
  blockedCode: number;
  preferred: boolean;
}

/**
 * The score of one pair in tenths (0–1000), or −(1 + reason index) when the pair is not
 * eligible. `sharedWeight` is the summed weight of the topics they share. One function for
 * the bulk scorer and for explanations, so both always agree.
 */
export function evaluatePair(
  model: ScoringArrays,
  i: number,
  j: number,
  sharedWeight: number,
  flags: PairFlags,
  ignoreMinScore = false,
): number {
  if (flags.blockedCode > 0) return -flags.blockedCode;
  const p = model.params;
  const organization = model.menteeOrganization[i] ?? 0;
  if (p.excludeSameOrganization && organization !== 0 && organization === model.mentorOrganization[j]) {
    return ineligible['same-organization'];
  }
  const lead = (model.mentorYears[j] ?? 0) - (model.menteeYears[i] ?? 0);
  if (lead <= 0) return ineligible['not-ahead'];
  const language = sharesLanguage(model, i, j);
  if (language === false && p.requireSharedLanguage) return ineligible['no-shared-language'];
  if (sharedWeight === 0 && p.requireSharedTopic) return ineligible['no-shared-topic'];
  const topicTotal = model.menteeTopicTotal[i] ?? 0;
  const zones = (model.menteeZone[i] ?? 0) * model.zoneCount + (model.mentorZone[j] ?? 0);
  const tenths = tenthsOf(
    topicTotal > 0 ? (p.topics * sharedWeight) / topicTotal : 0,
    p.stepsAhead * stepsAheadFit(lead, p.idealLead),
    p.timezone * (model.overlapHours[zones] ?? 0),
    language === true ? p.language : 0,
    flags.preferred ? p.preferredBonus : 0,
  );
  if (!ignoreMinScore && tenths < p.minTenths) return ineligible['below-min-score'];
  return tenths;
}

/** A pair's score in tenths from its parts' points: the one sum of `evaluatePair` and of `RowScorer`, added in this order. */
function tenthsOf(
  topics: number,
  stepsAhead: number,
  timezone: number,
  language: number,
  preferred: number,
): number {
  return roundHalfUp(Math.min(100, topics + stepsAhead + timezone + language + preferred) * 10);
}

/**
 * `Math.round` for 0 ≤ x < 2³¹ − 1 (a score is at most 1,000 tenths), which V8 compiles to a
 * slower sequence than `Math.floor`: a fifth of scoring a bootcamp. Adding 0.5 is exact from
 * x = 0.5 on (0.5 is on x's grid, and a sum that reaches the next power of two is an integer or
 * more anyway); below, only 0.49999999999999994 would round up, so everything under 0.5 is 0
 * outright. The sum is then truncated to an integer (`| 0`, the floor of a positive number),
 * which the 16-bit scores and the minimum score's comparison take as it is: scoring
 * `bootcamp-one-to-one`'s 100 million pairs on one thread took 0.90–0.96 of the time with
 * `Math.floor` (alternating runs), the same table.
 */
export function roundHalfUp(x: number): number {
  return x < 0.5 ? 0 : (x + 0.5) | 0;
}

/** true/false, or undefined when either side named no language (nothing to compare). */
function sharesLanguage(model: ScoringArrays, i: number, j: number): boolean | undefined {
  const words = model.languageWords;
  let menteeAny = 0;
  let mentorAny = 0;
  let shared = 0;
  for (let k = 0; k < words; k++) {
    const a = model.menteeLanguages[i * words + k] ?? 0;
    const b = model.mentorLanguages[j * words + k] ?? 0;
    menteeAny |= a;
    mentorAny |= b;
    shared |= a & b;
  }
  if (menteeAny === 0 || mentorAny === 0) return undefined;
  return shared !== 0;
}

/** Mentees per block of scoring: small enough that threads finish together and a block's room stays small. */
export const blockRows = 128;

/**
 * Scores mentees' rows and keeps the eligible pairs, a block of rows at a time. Per mentee,
 * shared topic weights are summed through the topic → mentors index, so when a shared topic
 * is required only the mentors who share one are looked at. Rows are independent, so a
 * cohort's blocks can be scored on several threads (score-in-parallel.ts), one scorer each.
 *
 * A scorer's working arrays and its room for a block's pairs are reused from block to block,
 * the room made as large as the block can need before it is scored: a block's pairs are
 * written once, then copied into a block exactly their size (and that into the cohort's
 * table, `TableInBlocks`). Grown by doubling, then cut, they were copied three times over,
 * mostly into fresh memory: a sixth of scoring a cohort whose every pair is eligible.
 */
export class RowScorer {
  private readonly shared: Float64Array;
  private readonly touched: Int32Array;
  private readonly blockedMark: Int32Array;
  private readonly preferredMark: Int32Array;
  /** Marked for the mentors the current mentee's rules name (blocked or preferred): one read a pair for both. */
  private readonly namedMark: Int32Array;
  private readonly everyMentor: Int32Array;
  private readonly bestFirst: BestFirst;
  /** The current row's best and worst scores' slots in `bestFirst.slots`, as `keepEligible` counted them. */
  private lowSlot = 0;
  private highSlot = 0;
  private readonly model: ScoringArrays;
  private readonly mentors: number;
  private mentor: Uint16Array | Int32Array;
  private runEnd: Int32Array;
  private runScore: Uint16Array;
  /** One mentee's eligible pairs as scored, before they are sorted into the room. */
  private readonly rowMentor: Int32Array;
  private readonly rowScore: Uint16Array;
  /** Per mentor, side by side: its year class, language bits (one word), organization and zone. */
  private readonly facts: Int32Array;
  private readonly classYears: Float64Array;
  private readonly aheadPoints: Float64Array;
  private readonly zonePoints: Float64Array;

  constructor(model: ScoringArrays, mentors: number) {
    this.model = model;
    const classOf = new Map<number, number>();
    for (const years of model.mentorYears) if (!classOf.has(years)) classOf.set(years, classOf.size);
    this.facts = new Int32Array(4 * mentors);
    for (let j = 0; j < mentors; j++) {
      this.facts[4 * j] = classOf.get(model.mentorYears[j] ?? 0) ?? 0;
      this.facts[4 * j + 1] = model.languageWords === 1 ? (model.mentorLanguages[j] ?? 0) | 0 : 0;
      this.facts[4 * j + 2] = model.mentorOrganization[j] ?? 0;
      this.facts[4 * j + 3] = model.mentorZone[j] ?? 0;
    }
    this.classYears = Float64Array.from(classOf.keys());
    this.aheadPoints = new Float64Array(classOf.size);
    this.zonePoints = new Float64Array(model.zoneCount);
    this.mentors = mentors;
    this.shared = new Float64Array(mentors);
    this.touched = new Int32Array(mentors);
    this.blockedMark = new Int32Array(mentors);
    this.preferredMark = new Int32Array(mentors);
    this.namedMark = new Int32Array(mentors);
    this.everyMentor = new Int32Array(mentors);
    for (let j = 0; j < mentors; j++) this.everyMentor[j] = j;
    this.bestFirst = new BestFirst(mentors);
    this.mentor = mentorColumn(mentors, 0);
    this.rowMentor = new Int32Array(mentors);
    this.rowScore = new Uint16Array(mentors);
    this.runEnd = new Int32Array(0);
    this.runScore = new Uint16Array(0);
  }

  /**
   * The table of mentees `from` to `to`, each row best score first: its own arrays, or with
   * `views`, views of this scorer's room, which the next call overwrites.
   */
  scoreRows(from: number, to: number, views = false): ScoreTable {
    const { model, shared, touched, blockedMark, preferredMark } = this;
    this.makeRoom(to - from, mostPairs(model, this.mentors, from, to));
    const { mentor, runEnd, runScore, rowMentor, rowScore } = this;
    const rowStart = new Int32Array(to - from + 1);
    const runStart = new Int32Array(to - from + 1);
    let count = 0;
    let runs = 0;
    const requireTopic = model.params.requireSharedTopic;

    for (let i = from; i < to; i++) {
      const stamp = i + 1;
      let touchedCount = 0;
      for (let k = model.menteeTopics.start[i] ?? 0; k < (model.menteeTopics.start[i + 1] ?? 0); k++) {
        const topic = model.menteeTopics.items[k] ?? 0;
        const weight = model.topicWeight[topic] ?? 0;
        const { start, items } = model.mentorsByTopic;
        for (let t = start[topic] ?? 0; t < (start[topic + 1] ?? 0); t++) {
          const j = items[t] ?? 0;
          if (shared[j] === 0) touched[touchedCount++] = j;
          shared[j] = (shared[j] ?? 0) + weight;
        }
      }
      markRow(model.blocked, i, blockedMark, stamp);
      markRow(model.preferred, i, preferredMark, stamp);
      markRow(model.blocked, i, this.namedMark, stamp);
      markRow(model.preferred, i, this.namedMark, stamp);
      const candidates = requireTopic ? touched.subarray(0, touchedCount) : this.everyMentor;
      const kept = this.keepEligible(i, candidates, stamp);
      // Most of the mentors touched: cleared in one sweep rather than one by one.
      if (touchedCount * 4 > this.mentors) shared.fill(0);
      else for (let k = 0; k < touchedCount; k++) shared[touched[k] ?? 0] = 0;
      runs = this.bestFirst.sortInto(
        rowMentor,
        rowScore,
        kept,
        this.lowSlot,
        this.highSlot,
        mentor,
        count,
        runEnd,
        runScore,
        runs,
      );
      count += kept;
      rowStart[i - from + 1] = count;
      runStart[i - from + 1] = runs;
    }
    return {
      mentees: to - from,
      mentors: this.mentors,
      rowStart,
      mentor: views ? mentor.subarray(0, count) : mentor.slice(0, count),
      runStart,
      runEnd: views ? runEnd.subarray(0, runs) : runEnd.slice(0, runs),
      runScore: views ? runScore.subarray(0, runs) : runScore.slice(0, runs),
    };
  }

  /**
   * Mentee i's eligible pairs among `candidates`, written into `rowMentor` and `rowScore`;
   * returns how many. `evaluatePair`'s rules and sum, with what is fixed for the cohort and the mentee
   * read once, not once a pair: 1.2 times as fast over a row (the unit tests hold the two to
   * the same table). The steps-ahead points come from a lookup by the mentor's years (a
   * cohort has few distinct values) and the time-zone points by the mentor's zone, both
   * filled once per mentee with the very products `evaluatePair` computes: with
   * `roundHalfUp`, scoring a bootcamp's 100 million pairs on one thread took 3.4 s → 2.2 s
   * (the same table), a one-place cohort of 10,000 × 17,000 0.94 → 0.67 s. The rules are
   * checked cheapest first, as which one fails does not matter here. What a pair reads of its
   * mentor sits side by side (`facts`), one mark tells whether the mentee's rules name the
   * mentor at all, a shared language is worked out as points, and each score is counted for
   * the sort as it is kept (and the shared topics' weights are cleared in one sweep where
   * most mentors were touched): `bootcamp-one-to-one`'s first 1,024 rows 0.88 of the time,
   * one place at 170%'s 0.92, `contention-10k`'s 0.97, `mixed-places`' 0.95 (fastest of 40
   * runs, alternating, in both orders; the same table).
   */
  private keepEligible(i: number, candidates: Int32Array, stamp: number): number {
    const { model, shared, blockedMark, preferredMark, namedMark, facts, aheadPoints, zonePoints } = this;
    const { rowMentor: mentor, rowScore: score } = this;
    const { slots } = this.bestFirst;
    let low = slots.length;
    let high = 0;
    let count = 0;
    const { overlapHours, languageWords } = model;
    const p = model.params;
    // Read into locals once: a property read per pair costs.
    const {
      requireSharedLanguage,
      requireSharedTopic,
      minTenths,
      topics,
      language: languagePoints,
      preferredBonus,
    } = p;
    const menteeYears = model.menteeYears[i] ?? 0;
    this.fillAheadPoints(menteeYears, candidates);
    const zoneRow = (model.menteeZone[i] ?? 0) * model.zoneCount;
    for (let z = 0; z < model.zoneCount; z++) zonePoints[z] = p.timezone * (overlapHours[zoneRow + z] ?? 0);
    const organization = p.excludeSameOrganization ? (model.menteeOrganization[i] ?? 0) : 0;
    const topicTotal = model.menteeTopicTotal[i] ?? 0;
    // One word of language bits (up to 32 languages in the cohort) is compared inline.
    const menteeLanguages = languageWords === 1 ? (model.menteeLanguages[i] ?? 0) : 0;
    for (let k = 0; k < candidates.length; k++) {
      const j = candidates[k] ?? 0;
      const f = 4 * j;
      const ahead = aheadPoints[facts[f] ?? 0] ?? 0;
      if (ahead < 0) continue;
      // Points for a shared language; none, and no rule broken, where either side named none.
      let spoken = 0;
      if (languageWords === 1) {
        const theirs = facts[f + 1] ?? 0;
        if (menteeLanguages !== 0 && theirs !== 0) {
          if ((menteeLanguages & theirs) !== 0) spoken = languagePoints;
          else if (requireSharedLanguage) continue;
        }
      } else {
        const language = sharesLanguage(model, i, j);
        if (language === true) spoken = languagePoints;
        else if (language === false && requireSharedLanguage) continue;
      }
      const sharedWeight = shared[j] ?? 0;
      if (sharedWeight === 0 && requireSharedTopic) continue;
      let bonus = 0;
      if (namedMark[j] === stamp) {
        if (blockedMark[j] === stamp && blockedCodeOf(model, i, j) > 0) continue;
        if (preferredMark[j] === stamp) bonus = preferredBonus;
      }
      if (organization !== 0 && organization === facts[f + 2]) continue;
      const tenths = tenthsOf(
        topicTotal > 0 ? (topics * sharedWeight) / topicTotal : 0,
        ahead,
        zonePoints[facts[f + 3] ?? 0] ?? 0,
        spoken,
        bonus,
      );
      if (tenths < minTenths) continue;
      mentor[count] = j;
      score[count++] = tenths;
      // Counted for the sort into the room as it comes (BestFirst.slots).
      const slot = maxScoreTenths - tenths + 1;
      slots[slot] = (slots[slot] ?? 0) + 1;
      if (slot < low) low = slot;
      if (slot > high) high = slot;
    }
    this.lowSlot = low;
    this.highSlot = high;
    return count;
  }

  /**
   * Each mentor year class's steps-ahead points for a mentee of `menteeYears` (−1: not ahead):
   * every class, or where there are more classes than candidates (years given to the decimal),
   * the candidates' own.
   */
  private fillAheadPoints(menteeYears: number, candidates: Int32Array): void {
    const { classYears, aheadPoints, facts } = this;
    const { stepsAhead, idealLead } = this.model.params;
    const every = classYears.length <= candidates.length;
    for (let k = 0, end = every ? classYears.length : candidates.length; k < end; k++) {
      const c = every ? k : (facts[4 * (candidates[k] ?? 0)] ?? 0);
      const lead = (classYears[c] ?? 0) - menteeYears;
      aheadPoints[c] = lead <= 0 ? -1 : stepsAhead * stepsAheadFit(lead, idealLead);
    }
  }

  private makeRoom(rows: number, pairs: number): void {
    const runs = mostRuns(rows, pairs);
    if (runs > this.runEnd.length) {
      const size = Math.max(runs, 2 * this.runEnd.length);
      this.runEnd = new Int32Array(size);
      this.runScore = new Uint16Array(size);
    }
    if (pairs <= this.mentor.length) return;
    this.mentor = mentorColumn(this.mentors, Math.max(pairs, 2 * this.mentor.length));
  }
}

/** The most pairs mentees `from` to `to` can keep: each one's mentors of its topics when a topic must be shared, else every mentor. */
function mostPairs(model: ScoringArrays, mentors: number, from: number, to: number): number {
  if (!model.params.requireSharedTopic) return (to - from) * mentors;
  let pairs = 0;
  for (let i = from; i < to; i++) pairs += Math.min(mentors, topicMentorsOf(model, i));
  return pairs;
}

/**
 * Mentee i's mentors of each of its topics, a mentor of two shared topics counted twice: what
 * scoring its row looks at when a shared topic is required.
 */
export function topicMentorsOf(model: ScoringArrays, i: number): number {
  const { menteeTopics, mentorsByTopic } = model;
  let pairs = 0;
  for (let k = menteeTopics.start[i] ?? 0; k < (menteeTopics.start[i + 1] ?? 0); k++) {
    const topic = menteeTopics.items[k] ?? 0;
    pairs += (mentorsByTopic.start[topic + 1] ?? 0) - (mentorsByTopic.start[topic] ?? 0);
  }
  return pairs;
}

/** Every pair of `mentees` mentees and `mentors` mentors scored on this thread, a block at a time. */
export function scoreTable(
  model: ScoringArrays,
  mentees: number,
  mentors: number,
  shared = mentees >= sharedTableFromMentees,
): ScoreTable {
  const scorer = new RowScorer(model, mentors);
  const table = new TableInBlocks(model, mentees, mentors, undefined, shared);
  for (let b = 0; b * blockRows < mentees; b++) {
    table.add(b, scorer.scoreRows(b * blockRows, Math.min(mentees, (b + 1) * blockRows)));
  }
  return table.done();
}

/**
 * Mentees from which a cohort's table is made in shared memory, for the solver's helper thread
 * (solve-helper.ts), which scans it too. Smaller cohorts get one there when scoring looks at
 * `sharedTableFromPairs` pairs or more (`sharedTable`).
 */
export const sharedTableFromMentees = 20_000;

/**
 * Pairs scoring looks at from which a cohort of fewer mentees gets its table in shared memory
 * too: there the helper's half of each scan saves more than the sharing costs. Measured
 * (farm-bench, `tandem match`, 5 runs, ordinary → shared memory, paired wall ratio):
 * `bootcamp-shortage-99` (55 million pairs looked at) 3.17 → 2.97 s (0.94), 455 → 478 MiB;
 * one-to-one with 150% places (30 million) 3.50 → 3.43 s (0.95), 427 → 459 MiB; `one-to-one`
 * (20 million) 2.99 → 2.92 s (0.97), 398 → 424 MiB; `bootcamp` (38 million) 1.97 → 1.92 s
 * (0.98); but `contention-10k` (7 million) 1.71 → 1.76 s (1.04).
 */
export const sharedTableFromPairs = 15_000_000;

/** Whether scoring makes a cohort's table in shared memory: see `sharedTableFromMentees`. */
export function sharedTable(mentees: number, pairsLookedAt: number): boolean {
  return mentees >= sharedTableFromMentees || pairsLookedAt >= sharedTableFromPairs;
}

/**
 * A cohort's table, joined from its blocks of `blockRows` mentees as they are scored, in any
 * order; in shared memory for a large cohort or one of many pairs (`sharedTable`). Its arrays
 * are made, before any block comes, as long as the cohort's pairs can be
 * (`mostPairs`): a page of memory is only taken up once written, so what is never written
 * costs none, and the table is handed out as views of the part written. A block is copied in
 * as soon as every block before it is, and its memory given back at once: joining holds about
 * one table and the blocks in flight, not the blocks and the table (twice the table), nor a
 * table cut to size (a copy).
 */
export class TableInBlocks {
  private readonly mentees: number;
  private readonly mentors: number;
  private readonly rowStart: Int32Array;
  private mentor: Uint16Array | Int32Array;
  private readonly runStart: Int32Array;
  private runEnd: Int32Array;
  private runScore: Uint16Array;
  private readonly waiting = new Map<number, ScoreTable>();
  /** The next block to copy in, and where its pairs and runs go. */
  private next = 0;
  private pairs = 0;
  private runs = 0;

  /**
   * `room`: pairs to make room for at first (tests make less, to see the table grow).
   * `shared`: in shared memory (default: from `sharedTableFromMentees` mentees).
   */
  constructor(
    model: ScoringArrays,
    mentees: number,
    mentors: number,
    room = Math.min(mostPairs(model, mentors, 0, mentees), roomAtFirst),
    shared = mentees >= sharedTableFromMentees,
  ) {
    this.mentees = mentees;
    this.mentors = mentors;
    this.rowStart = typedArray(Int32Array, mentees + 1, shared);
    this.mentor = mentorColumn(mentors, room, shared);
    this.runStart = typedArray(Int32Array, mentees + 1, shared);
    this.runEnd = typedArray(Int32Array, mostRuns(mentees, room), shared);
    this.runScore = typedArray(Uint16Array, this.runEnd.length, shared);
  }

  /** Block `b`, scored: copied in when every block before it is. */
  add(b: number, block: ScoreTable): void {
    this.waiting.set(b, block);
    for (let part = this.waiting.get(this.next); part; part = this.waiting.get(this.next)) {
      this.waiting.delete(this.next);
      this.copyIn(part);
    }
  }

  /** The whole table; every block must have come. */
  done(): ScoreTable {
    if (this.next * blockRows < this.mentees) throw new Error(`scoring: block ${this.next} was never scored`);
    return {
      mentees: this.mentees,
      mentors: this.mentors,
      rowStart: this.rowStart,
      mentor: this.mentor.subarray(0, this.pairs),
      runStart: this.runStart,
      runEnd: this.runEnd.subarray(0, this.runs),
      runScore: this.runScore.subarray(0, this.runs),
      bestFirst: true,
    };
  }

  private copyIn(part: ScoreTable): void {
    const at = this.pairs;
    const length = part.mentor.length;
    if (at + length > this.mentor.length) {
      this.mentor = resized(this.mentor, Math.max(at + length, 2 * this.mentor.length));
    }
    const runs = part.runScore.length;
    if (this.runs + runs > this.runScore.length) {
      const size = Math.max(this.runs + runs, 2 * this.runScore.length);
      this.runEnd = resized(this.runEnd, size);
      this.runScore = resized(this.runScore, size);
    }
    const { rowStart, mentor, runStart, runEnd, runScore } = this;
    writeBlock({ rowStart, mentor, runStart, runEnd, runScore }, this.next, at, this.runs, part);
    for (const array of [part.mentor, part.runEnd, part.runScore]) resized(array, 0);
    this.pairs = at + length;
    this.runs += runs;
    this.next++;
  }
}

/** A table's arrays that blocks are written into. */
type TableArrays = Pick<ScoreTable, 'rowStart' | 'mentor' | 'runStart' | 'runEnd' | 'runScore'>;

/** Block `b`'s pairs written into a cohort's table from pair `at` and run `runAt` on, and its rows' starts. */
function writeBlock(table: TableArrays, b: number, at: number, runAt: number, part: ScoreTable): void {
  const first = b * blockRows;
  for (let r = 0; r < part.mentees; r++) {
    table.rowStart[first + r + 1] = at + (part.rowStart[r + 1] ?? 0);
    table.runStart[first + r + 1] = runAt + (part.runStart[r + 1] ?? 0);
  }
  table.mentor.set(part.mentor, at);
  for (let r = 0; r < part.runEnd.length; r++) table.runEnd[runAt + r] = at + (part.runEnd[r] ?? 0);
  table.runScore.set(part.runScore, runAt);
}

/** The shared arrays of `SharedTableBlocks`, which a worker is sent. */
export interface SharedTableArrays extends TableArrays {
  /** Per block, where its pairs end once it is placed: `unplaced` before, `abandoned` once a thread failed. */
  ends: Int32Array;
  /** Per block, where its runs end, written before its `ends`. */
  runEnds: Int32Array;
}

/**
 * A cohort's table in shared memory, into which each scoring thread writes the blocks it
 * scored itself, each where the blocks before it end: one copy of every pair, out of the
 * scorer's room, where `TableInBlocks` copies a block out of the room and then into the table
 * (`bootcamp-one-to-one`: 0.33 s of the main thread's 1.5 s of scoring went to the second
 * copy). A thread whose block follows one not yet placed waits for it. For a table that fits
 * in the room it is made with (`sharedRoom`), as it cannot grow while threads write into it.
 */
export class SharedTableBlocks {
  readonly arrays: SharedTableArrays;
  private readonly mentees: number;
  private readonly mentors: number;
  private readonly blocks: number;

  constructor(mentees: number, mentors: number, arrays: SharedTableArrays) {
    this.mentees = mentees;
    this.mentors = mentors;
    this.arrays = arrays;
    this.blocks = arrays.ends.length;
  }

  /** New arrays for a cohort whose pairs fit in `room`. */
  static arraysFor(mentees: number, mentors: number, room: number): SharedTableArrays {
    const ends = typedArray(Int32Array, Math.ceil(mentees / blockRows), true);
    ends.fill(unplaced);
    const runs = mostRuns(mentees, room);
    return {
      rowStart: typedArray(Int32Array, mentees + 1, true),
      mentor: mentorColumn(mentors, room, true),
      runStart: typedArray(Int32Array, mentees + 1, true),
      runEnd: typedArray(Int32Array, runs, true),
      runScore: typedArray(Uint16Array, runs, true),
      ends,
      runEnds: typedArray(Int32Array, ends.length, true),
    };
  }

  /** Writes block `b` (rows from `b × blockRows` on), once every block before it is placed. */
  add(b: number, part: ScoreTable): void {
    this.place(b, b === 0 ? 0 : this.endOf(b - 1), part);
  }

  /** Where block b's runs end; read once its pairs' end is seen. */
  private runEndOf(b: number): number {
    return b < 0 ? 0 : (this.arrays.runEnds[b] ?? 0);
  }

  /** Writes block `b` if every block before it is placed, without waiting: whether it did. */
  tryAdd(b: number, part: ScoreTable): boolean {
    const at = b === 0 ? 0 : Atomics.load(this.arrays.ends, b - 1);
    if (at === abandoned) throw new Error('scoring: another thread failed');
    if (at === unplaced) return false;
    this.place(b, at, part);
    return true;
  }

  /** Tells every thread waiting for a block not yet placed that it will not be: their `add` throws. */
  fail(): void {
    const { ends } = this.arrays;
    for (let b = 0; b < this.blocks; b++) {
      Atomics.compareExchange(ends, b, unplaced, abandoned);
      Atomics.notify(ends, b);
    }
  }

  /** The whole table; every block must be placed. */
  done(): ScoreTable {
    const pairs = this.blocks === 0 ? 0 : this.endOf(this.blocks - 1);
    const runs = this.runEndOf(this.blocks - 1);
    const { rowStart, mentor, runStart, runEnd, runScore } = this.arrays;
    return {
      mentees: this.mentees,
      mentors: this.mentors,
      rowStart,
      mentor: mentor.subarray(0, pairs),
      runStart,
      runEnd: runEnd.subarray(0, runs),
      runScore: runScore.subarray(0, runs),
      bestFirst: true,
    };
  }

  private place(b: number, at: number, part: ScoreTable): void {
    const { ends, runEnds } = this.arrays;
    const runAt = this.runEndOf(b - 1);
    writeBlock(this.arrays, b, at, runAt, part);
    // The runs' end first: a thread that sees this block's end (Atomics) sees it too.
    runEnds[b] = runAt + part.runScore.length;
    Atomics.store(ends, b, at + part.mentor.length);
    Atomics.notify(ends, b);
  }

  private endOf(b: number): number {
    const { ends } = this.arrays;
    for (let end = Atomics.load(ends, b); ; end = Atomics.load(ends, b)) {
      if (end >= 0) return end;
      if (end === abandoned) throw new Error('scoring: another thread failed');
      Atomics.wait(ends, b, unplaced);
    }
  }
}

const unplaced = -1;
const abandoned = -2;

/**
 * One thread's scoring into a `SharedTableBlocks`, its blocks taken in increasing order. A block
 * that follows one not yet placed is held (a view of one of two scorers' rooms) while the next
 * block is scored in the other room, and placed after it: a thread waits for another's block
 * only when that block is still not placed after a whole block of its own, or at its end.
 * Waiting at once for every such block, the two threads of `bootcamp-one-to-one` lost 80–100 ms
 * of its scoring's 1.6 s (CPU profiles, one run).
 */
export class SharedBlockWriter {
  private readonly table: SharedTableBlocks;
  private readonly scorers: [RowScorer, RowScorer];
  private held: { block: number; part: ScoreTable; scorer: 0 | 1 } | undefined;

  constructor(table: SharedTableBlocks, model: ScoringArrays, mentors: number) {
    this.table = table;
    this.scorers = [new RowScorer(model, mentors), new RowScorer(model, mentors)];
  }

  /** Scores mentees `from` to `to` as block `b` (after this thread's blocks so far) and places it, or holds it. */
  score(b: number, from: number, to: number): void {
    const held = this.held;
    const scorer = held?.scorer === 0 ? 1 : 0;
    const part = this.scorers[scorer].scoreRows(from, to, true);
    // The held block comes first: its room is the next block's.
    if (held) this.table.add(held.block, held.part);
    this.held = this.table.tryAdd(b, part) ? undefined : { block: b, part, scorer };
  }

  /** Places the block held, if any, once the blocks before it are. */
  finish(): void {
    if (this.held) this.table.add(this.held.block, this.held.part);
    this.held = undefined;
  }
}

/** Pairs a shared table that threads write into is made with, or undefined when the cohort's could outgrow its room. */
export function sharedRoom(model: ScoringArrays, mentees: number, mentors: number): number | undefined {
  const room = mostPairs(model, mentors, 0, mentees);
  return room <= roomAtFirst ? room : undefined;
}

/**
 * Room a table is made with at most (pairs): the most a cohort can have is mentees × mentors
 * when no shared topic is required, which for a large cohort could be more memory than there is
 * to promise, even untouched. Past it, the table grows by doubling (a copy).
 */
const roomAtFirst = 1 << 28;

/**
 * The table itself when every row is best score first; else a copy whose rows are (equal
 * scores keep their order). The solver reads rows in that order (see ScoreTable).
 */
export function bestFirstRows(table: ScoreTable): ScoreTable {
  if (table.bestFirst) return table;
  const { runStart, runScore } = table;
  let sorted = true;
  for (let i = 0; i < table.mentees && sorted; i++) {
    for (let r = (runStart[i] ?? 0) + 1, end = runStart[i + 1] ?? 0; r < end; r++) {
      if ((runScore[r] ?? 0) > (runScore[r - 1] ?? 0)) {
        sorted = false;
        break;
      }
    }
  }
  if (sorted) return table;
  const { rowStart } = table;
  const copy = { ...table, mentor: table.mentor.slice(), score: scoreColumn(table) };
  const sorter = new BestFirst(table.mentors);
  for (let i = 0; i < table.mentees; i++)
    sorter.sort(copy.mentor, copy.score, rowStart[i] ?? 0, rowStart[i + 1] ?? 0);
  return tableOfScores(copy);
}

/**
 * The table seen from the mentors' side: row j lists mentor j's eligible mentees (as its
 * `mentor` entries), best score first, equal scores by mentee index.
 */
export function transposedTable(table: ScoreTable): ScoreTable {
  const { mentees: n, mentors: m, rowStart, mentor } = table;
  const score = scoreColumn(table);
  const start = new Int32Array(m + 1);
  for (let k = 0; k < mentor.length; k++) {
    const j = mentor[k] ?? 0;
    start[j + 1] = (start[j + 1] ?? 0) + 1;
  }
  for (let j = 0; j < m; j++) start[j + 1] = (start[j + 1] ?? 0) + (start[j] ?? 0);
  const at = start.slice(0, m);
  const mentee = mentorColumn(n, mentor.length);
  const transposedScore = new Uint16Array(mentor.length);
  for (let i = 0; i < n; i++) {
    for (let k = rowStart[i] ?? 0, end = rowStart[i + 1] ?? 0; k < end; k++) {
      const j = mentor[k] ?? 0;
      const place = at[j] ?? 0;
      at[j] = place + 1;
      mentee[place] = i;
      transposedScore[place] = score[k] ?? 0;
    }
  }
  const sorter = new BestFirst(n);
  for (let j = 0; j < m; j++) sorter.sort(mentee, transposedScore, start[j] ?? 0, start[j + 1] ?? 0);
  return {
    ...tableOfScores({ mentees: m, mentors: n, rowStart: start, mentor: mentee, score: transposedScore }),
    bestFirst: true,
  };
}

/** Sorts a row's pairs best score first, equal scores in the order they came: a counting sort. */
class BestFirst {
  private readonly mentor: Int32Array;
  private readonly score: Uint16Array;
  /**
   * Per score, its slot: maxScoreTenths − s + 1 counts score s (`count`; for `sortInto`, its
   * caller counts them as it writes the row), then, summed up, slot maxScoreTenths − s is where
   * score s goes next. Zero between rows.
   */
  readonly slots = new Int32Array(maxScoreTenths + 2);

  /** `rowLimit`: the longest row (the number of mentors). */
  constructor(rowLimit: number) {
    this.mentor = new Int32Array(rowLimit);
    this.score = new Uint16Array(rowLimit);
  }

  /** Sorts `mentor[from .. to)` and `score[from .. to)` in place. */
  sort(mentor: Uint16Array | Int32Array, score: Uint16Array, from: number, to: number): void {
    if (from >= to) return;
    const { slots: at } = this;
    const [low, high] = this.count(score, from, to);
    at[low - 1] = 0;
    for (let s = low; s <= high; s++) at[s] = (at[s] ?? 0) + (at[s - 1] ?? 0);
    for (let k = from; k < to; k++) {
      const slot = maxScoreTenths - (score[k] ?? 0);
      const place = at[slot] ?? 0;
      at[slot] = place + 1;
      this.mentor[place] = mentor[k] ?? 0;
      this.score[place] = score[k] ?? 0;
    }
    at.fill(0, low - 1, high + 1);
    mentor.set(this.mentor.subarray(0, to - from), from);
    score.set(this.score.subarray(0, to - from), from);
  }

  /**
   * Writes the row `mentor[0 .. count)` (scores `score[0 .. count)`, already counted in
   * `slots` from slot `low` to `high`) into `into` from `intoAt` on, best score first, and its
   * runs into `runEnd` and `runScore` from run `run` on, each run's end an index of `into`:
   * returns where its runs end. The runs come from the counts themselves, and no score is
   * moved (scoring writes no score column).
   */
  sortInto(
    mentor: Int32Array,
    score: Uint16Array,
    count: number,
    low: number,
    high: number,
    into: Uint16Array | Int32Array,
    intoAt: number,
    runEnd: Int32Array,
    runScore: Uint16Array,
    run: number,
  ): number {
    if (count === 0) return run;
    const { slots: at } = this;
    at[low - 1] = intoAt;
    for (let s = low; s <= high; s++) {
      const scored = at[s] ?? 0;
      at[s] = scored + (at[s - 1] ?? 0);
      if (scored === 0) continue;
      runScore[run] = maxScoreTenths - s + 1;
      runEnd[run++] = at[s] ?? 0;
    }
    for (let k = 0; k < count; k++) {
      const slot = maxScoreTenths - (score[k] ?? 0);
      const place = at[slot] ?? 0;
      at[slot] = place + 1;
      into[place] = mentor[k] ?? 0;
    }
    at.fill(0, low - 1, high + 1);
    return run;
  }

  /**
   * Counts the scores of `score[from .. to)` (not empty): at[maxScoreTenths − s + 1] counts
   * score s; summed up, at[maxScoreTenths − s] is where score s goes next. Only the slots
   * between the row's best and worst score (returned) are summed, and they are cleared again
   * after (a row's scores span far fewer than all the slots).
   */
  private count(score: Uint16Array, from: number, to: number): [number, number] {
    const { slots: at } = this;
    let low = at.length;
    let high = 0;
    for (let k = from; k < to; k++) {
      const slot = maxScoreTenths - (score[k] ?? 0) + 1;
      at[slot] = (at[slot] ?? 0) + 1;
      if (slot < low) low = slot;
      if (slot > high) high = slot;
    }
    return [low, high];
  }
}

export function blockedCodeOf(model: ScoringArrays, i: number, j: number): number {
  const k = indexInRow(model.blocked, i, j);
  return k < 0 ? 0 : 1 + (model.blockedReason[k] ?? 0);
}

/**
 * Where row r holds x (an index into `rows.items`), or −1. Read in place: explanations ask it of
 * every matched pair, and copies of the rows cost 40 ms on 10,000 pairs.
 */
export function indexInRow(rows: Csr, r: number, x: number): number {
  for (let k = rows.start[r] ?? 0, end = rows.start[r + 1] ?? 0; k < end; k++)
    if (rows.items[k] === x) return k;
  return -1;
}

function markRow(rows: Csr, r: number, marks: Int32Array, stamp: number): void {
  for (let k = rows.start[r] ?? 0; k < (rows.start[r + 1] ?? 0); k++) marks[rows.items[k] ?? 0] = stamp;
}
