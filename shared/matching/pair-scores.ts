import { resized } from './typed-arrays.ts';

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
 */
export interface ScoreTable {
  mentees: number;
  mentors: number;
  rowStart: Int32Array;
  mentor: Uint16Array | Int32Array;
  score: Uint16Array;
}

/** A `ScoreTable.mentor` array for `length` pairs among `mentors` mentors: 16 bits a pair while every index fits. */
export function mentorColumn(mentors: number, length: number): Uint16Array | Int32Array {
  return mentors <= 0xffff ? new Uint16Array(length) : new Int32Array(length);
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
  const points =
    (topicTotal > 0 ? (p.topics * sharedWeight) / topicTotal : 0) +
    p.stepsAhead * stepsAheadFit(lead, p.idealLead) +
    p.timezone * (model.overlapHours[zones] ?? 0) +
    (language === true ? p.language : 0) +
    (flags.preferred ? p.preferredBonus : 0);
  const tenths = Math.round(Math.min(100, points) * 10);
  if (!ignoreMinScore && tenths < p.minTenths) return ineligible['below-min-score'];
  return tenths;
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

/**
 * Scores the pairs of mentees `from` to `to` (of `mentors` mentors) and keeps the eligible
 * ones: a table of those rows. Per mentee, shared topic weights are summed through the topic →
 * mentors index, so when a shared topic is required only the mentors who share one are looked
 * at. Rows are independent, so the rows of a cohort can be scored in parts, on several
 * threads (score-in-parallel.ts).
 */
export function scoreRows(model: ScoringArrays, mentors: number, from: number, to: number): ScoreTable {
  const m = mentors;
  const shared = new Float64Array(m);
  const touched = new Int32Array(m);
  const blockedMark = new Int32Array(m);
  const preferredMark = new Int32Array(m);
  const rowStart = new Int32Array(to - from + 1);
  const everyMentor = Int32Array.from({ length: m }, (_, j) => j);
  // Room for a few dozen pairs per mentee to start with; doubled as needed.
  const room = Math.max(1024, Math.min((to - from) * m, (to - from) * 64));
  let mentor = mentorColumn(m, room);
  let score = new Uint16Array(room);
  let count = 0;
  const requireTopic = model.params.requireSharedTopic;
  const flags: PairFlags = { blockedCode: 0, preferred: false };
  const bestFirst = new BestFirst(m);

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
    const candidates = requireTopic ? touched.subarray(0, touchedCount) : everyMentor;
    if (count + candidates.length > score.length) {
      const size = Math.max(score.length * 2, count + candidates.length);
      mentor = resized(mentor, size);
      score = resized(score, size);
    }
    for (let k = 0; k < candidates.length; k++) {
      const j = candidates[k] ?? 0;
      flags.blockedCode = blockedMark[j] === stamp ? blockedCodeOf(model, i, j) : 0;
      flags.preferred = preferredMark[j] === stamp;
      const value = evaluatePair(model, i, j, shared[j] ?? 0, flags);
      if (value >= 0) {
        mentor[count] = j;
        score[count++] = value;
      }
    }
    for (let k = 0; k < touchedCount; k++) shared[touched[k] ?? 0] = 0;
    bestFirst.sort(mentor, score, rowStart[i - from] ?? 0, count);
    rowStart[i - from + 1] = count;
  }
  return {
    mentees: to - from,
    mentors: m,
    rowStart,
    mentor: resized(mentor, count),
    score: resized(score, count),
  };
}

/**
 * The table itself when every row is best score first; else a copy whose rows are (equal
 * scores keep their order). The solver reads rows in that order (see ScoreTable).
 */
export function bestFirstRows(table: ScoreTable): ScoreTable {
  const { rowStart, score } = table;
  let sorted = true;
  for (let i = 0; i < table.mentees && sorted; i++) {
    for (let k = (rowStart[i] ?? 0) + 1, end = rowStart[i + 1] ?? 0; k < end; k++) {
      if ((score[k] ?? 0) > (score[k - 1] ?? 0)) {
        sorted = false;
        break;
      }
    }
  }
  if (sorted) return table;
  const copy = { ...table, mentor: table.mentor.slice(), score: score.slice() };
  const sorter = new BestFirst(table.mentors);
  for (let i = 0; i < table.mentees; i++)
    sorter.sort(copy.mentor, copy.score, rowStart[i] ?? 0, rowStart[i + 1] ?? 0);
  return copy;
}

/**
 * The table seen from the mentors' side: row j lists mentor j's eligible mentees (as its
 * `mentor` entries), best score first, equal scores by mentee index.
 */
export function transposedTable(table: ScoreTable): ScoreTable {
  const { mentees: n, mentors: m, rowStart, mentor, score } = table;
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
  return { mentees: m, mentors: n, rowStart: start, mentor: mentee, score: transposedScore };
}

/** Sorts a row's pairs best score first, equal scores in the order they came: a counting sort. */
class BestFirst {
  private readonly mentor: Int32Array;
  private readonly score: Uint16Array;
  private readonly at = new Int32Array(maxScoreTenths + 2);

  /** `rowLimit`: the longest row (the number of mentors). */
  constructor(rowLimit: number) {
    this.mentor = new Int32Array(rowLimit);
    this.score = new Uint16Array(rowLimit);
  }

  sort(mentor: Uint16Array | Int32Array, score: Uint16Array, from: number, to: number): void {
    // at[maxScoreTenths − s + 1] counts score s; summed up, at[maxScoreTenths − s] is where score
    // s goes next. Only the slots between the row's best and worst score are summed, and they
    // are cleared again after (a row's scores span far fewer than all the slots).
    const { at } = this;
    let low = at.length;
    let high = 0;
    for (let k = from; k < to; k++) {
      const slot = maxScoreTenths - (score[k] ?? 0) + 1;
      at[slot] = (at[slot] ?? 0) + 1;
      if (slot < low) low = slot;
      if (slot > high) high = slot;
    }
    if (from >= to) return;
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
}

export function blockedCodeOf(model: ScoringArrays, i: number, j: number): number {
  const { start, items } = model.blocked;
  for (let k = start[i] ?? 0; k < (start[i + 1] ?? 0); k++) {
    if (items[k] === j) return 1 + (model.blockedReason[k] ?? 0);
  }
  return 0;
}

function markRow(rows: Csr, r: number, marks: Int32Array, stamp: number): void {
  for (let k = rows.start[r] ?? 0; k < (rows.start[r + 1] ?? 0); k++) marks[rows.items[k] ?? 0] = stamp;
}
