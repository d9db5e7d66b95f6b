import type { Application } from '../applications/application-schema.ts';
import { cohortSampleDates, type MatchingProgram } from './matching-program.ts';
import {
  blockedCodeOf,
  byItem,
  type Csr,
  type IneligibilityReason,
  indexInRow,
  ineligibilityReasons,
  type PairFlags,
  type ScoreParams,
  type ScoreTable,
  type ScoringArrays,
  scoreTable,
} from './pair-scores.ts';
import { synonymIndex, topicKey } from './topics.ts';

/** Scoring a cohort: the model of its applications that pair scores read (pair-scores.ts), and every pair scored. */

/** A pair named by emails, as organizers and earlier cohorts name them. */
export interface PairEmails {
  mentee: string;
  mentor: string;
}

export interface PairRules {
  /** Pairs the organizer forbade. */
  forbids?: readonly PairEmails[];
  /** Pairs from earlier rounds: a rematch never repeats them. */
  previousPartners?: readonly PairEmails[];
}

/** Everything about a cohort that scoring and explanations read. */
export interface ScoringModel extends ScoringArrays {
  mentees: readonly Application[];
  mentors: readonly Application[];
  program: MatchingProgram;
  topicKeys: string[];
  /** The key a topic compares by, as this cohort's synonyms define it. */
  topicKeyOf: (topic: string) => string;
}

/** The model without what a worker thread cannot be sent (the applications and the topic lookup). */
export function scoringArrays(model: ScoringModel): ScoringArrays {
  const {
    mentees: _mentees,
    mentors: _mentors,
    program: _program,
    topicKeys: _keys,
    topicKeyOf: _keyOf,
    ...arrays
  } = model;
  return arrays;
}

function scoreParams(program: MatchingProgram): ScoreParams {
  const { weights: w, workingHours, ...matching } = program.matching;
  const total = w.topics + w.stepsAhead + w.timezone + w.language;
  const points = (weight: number) => (total > 0 ? (100 * weight) / total : 0);
  return {
    topics: points(w.topics),
    stepsAhead: points(w.stepsAhead),
    timezone: points(w.timezone) / (workingHours.end - workingHours.start),
    language: points(w.language),
    preferredBonus: matching.preferredBonus,
    minTenths: Math.round(matching.minScore * 10),
    idealLead: matching.idealLead,
    requireSharedLanguage: matching.requireSharedLanguage,
    requireSharedTopic: matching.requireSharedTopic,
    excludeSameOrganization: program.exclusions.includes('same-organization'),
  };
}

export function buildScoringModel(
  mentees: readonly Application[],
  mentors: readonly Application[],
  program: MatchingProgram,
  rules: PairRules = {},
): ScoringModel {
  const synonyms = synonymIndex(program.matching.synonyms);
  const menteeIndex = new Map(mentees.map((a, i) => [a.email, i]));
  const mentorIndex = new Map(mentors.map((a, j) => [a.email, j]));

  const zones = new Ids();
  const menteeZone = Int32Array.from(mentees, (a) => zones.of(a.timezone));
  const mentorZone = Int32Array.from(mentors, (a) => zones.of(a.timezone));

  const languages = new Ids();
  for (const a of [...mentees, ...mentors]) for (const language of a.languages) languages.of(language);
  const languageWords = Math.max(1, Math.ceil(languages.size / 32));
  const languageBits = (people: readonly Application[]) => {
    const bits = new Uint32Array(people.length * languageWords);
    people.forEach((a, p) => {
      for (const language of a.languages) {
        const id = languages.of(language);
        const word = p * languageWords + (id >>> 5);
        bits[word] = (bits[word] ?? 0) | (1 << (id & 31));
      }
    });
    return bits;
  };

  const organizations = new Ids();
  organizations.of(''); // id 0: no organization given
  // Organizations recur from person to person: normalize each spelling once.
  const organizationOf = new Map<string, number>();
  const organizationIds = (people: readonly Application[]) =>
    Int32Array.from(people, (a) => {
      const name = a.organization ?? '';
      let id = organizationOf.get(name);
      if (id === undefined) {
        id = organizations.of(normalizeOrganization(name));
        organizationOf.set(name, id);
      }
      return id;
    });

  const topics = new Ids();
  // People write the same few topics over and over: normalize each spelling once.
  const keys = new Map<string, number>();
  const idOf = (topic: string) => {
    let id = keys.get(topic);
    if (id === undefined) {
      id = topics.of(topicKey(topic, synonyms));
      keys.set(topic, id);
    }
    return id;
  };
  // Each person's topic ids in their order, a topic written twice (or two synonyms) once.
  const topicIds = (people: readonly Application[]): Csr => {
    const start = new Int32Array(people.length + 1);
    const items: number[] = [];
    people.forEach((a, p) => {
      const from = items.length;
      for (const topic of a.topics) {
        const id = idOf(topic);
        if (!items.includes(id, from)) items.push(id);
      }
      start[p + 1] = items.length;
    });
    return { start, items: Int32Array.from(items) };
  };
  const menteeTopics = topicIds(mentees);
  const mentorTopics = topicIds(mentors);
  const peopleWithTopic = new Float64Array(topics.size);
  for (const id of [...menteeTopics.items, ...mentorTopics.items])
    peopleWithTopic[id] = (peopleWithTopic[id] ?? 0) + 1;
  const people = mentees.length + mentors.length;
  const topicWeight = peopleWithTopic.map((count) => Math.log(1 + people / count));
  const menteeTopicTotal = Float64Array.from(mentees, (_, i) => {
    let total = 0;
    for (let k = menteeTopics.start[i] ?? 0; k < (menteeTopics.start[i + 1] ?? 0); k++) {
      total += topicWeight[menteeTopics.items[k] ?? 0] ?? 0;
    }
    return total;
  });
  const mentorsByTopic = mentorsByTopicOf(mentorTopics, topics.size);

  // Rules on named pairs: the first rule that applies is the one reported.
  // Most mentees have no named pair: rows are made only for those who do.
  const blockedRows = new Map<number, Map<number, number>>();
  const block = (mentee: number | undefined, mentor: number | undefined, reason: IneligibilityReason) => {
    if (mentee === undefined || mentor === undefined) return;
    const row = blockedRows.get(mentee) ?? new Map<number, number>();
    blockedRows.set(mentee, row);
    const code = ineligibilityReasons.indexOf(reason);
    if ((row.get(mentor) ?? Number.POSITIVE_INFINITY) > code) row.set(mentor, code);
  };
  for (const pair of rules.forbids ?? []) {
    block(menteeIndex.get(pair.mentee), mentorIndex.get(pair.mentor), 'forbidden');
  }
  for (const pair of rules.previousPartners ?? []) {
    block(menteeIndex.get(pair.mentee), mentorIndex.get(pair.mentor), 'earlier-partner');
  }
  mentees.forEach((a, i) => {
    for (const email of a.avoid) block(i, mentorIndex.get(email), 'avoid');
  });
  mentors.forEach((a, j) => {
    for (const email of a.avoid) block(menteeIndex.get(email), j, 'avoid');
  });
  const blockedSorted = new Map(
    [...blockedRows].map(([i, row]) => [i, [...row.entries()].sort((x, y) => x[0] - y[0])]),
  );
  const blocked = sparseCsr(mentees.length, blockedSorted, ([mentor]) => mentor);
  const blockedReason = Uint8Array.from(
    [...blockedSorted].sort((x, y) => x[0] - y[0]).flatMap(([, row]) => row.map(([, code]) => code)),
  );

  const preferredRows = new Map<number, Set<number>>();
  const prefer = (i: number | undefined, j: number | undefined) => {
    if (i === undefined || j === undefined) return;
    preferredRows.set(i, (preferredRows.get(i) ?? new Set<number>()).add(j));
  };
  mentees.forEach((a, i) => {
    for (const email of a.preferred) prefer(i, mentorIndex.get(email));
  });
  mentors.forEach((a, j) => {
    for (const email of a.preferred) prefer(menteeIndex.get(email), j);
  });

  return {
    mentees,
    mentors,
    program,
    menteeYears: Float64Array.from(mentees, (a) => a.years_experience),
    mentorYears: Float64Array.from(mentors, (a) => a.years_experience),
    menteeZone,
    mentorZone,
    zoneCount: zones.size,
    overlapHours: overlapTable(zones.values, program),
    languageWords,
    menteeLanguages: languageBits(mentees),
    mentorLanguages: languageBits(mentors),
    menteeOrganization: organizationIds(mentees),
    mentorOrganization: organizationIds(mentors),
    topicKeys: topics.values,
    topicKeyOf: (topic) => topics.values[idOf(topic)] ?? topic,
    topicWeight,
    menteeTopics,
    mentorTopics,
    menteeTopicTotal,
    mentorsByTopic,
    blocked,
    blockedReason,
    preferred: sparseCsr(
      mentees.length,
      new Map([...preferredRows].map(([i, row]) => [i, [...row].sort((x, y) => x - y)])),
      (j) => j,
    ),
    params: scoreParams(program),
  };
}

/** Hours of local working hours two zones share at one instant. */
export function workingHoursOverlap(
  offsetA: number,
  offsetB: number,
  hours: { start: number; end: number },
): number {
  const day = 24 * 60;
  const a0 = hours.start * 60 - offsetA;
  const b0 = hours.start * 60 - offsetB;
  const length = (hours.end - hours.start) * 60;
  let overlap = 0;
  // Windows live on a 24-hour circle: compare with the other window a day earlier and later too.
  for (const shift of [-day, 0, day]) {
    overlap += Math.max(0, Math.min(a0 + length, b0 + shift + length) - Math.max(a0, b0 + shift));
  }
  return Math.min(overlap, length) / 60;
}

function overlapTable(zones: readonly string[], program: MatchingProgram): Float64Array {
  const dates = cohortSampleDates(program);
  const offsets = zones.map((zone) => dates.map((date) => date.setZone(zone).offset));
  const table = new Float64Array(zones.length * zones.length);
  const hours = program.matching.workingHours;
  for (let a = 0; a < zones.length; a++) {
    for (let b = 0; b < zones.length; b++) {
      let sum = 0;
      for (let d = 0; d < dates.length; d++) {
        sum += workingHoursOverlap(offsets[a]?.[d] ?? 0, offsets[b]?.[d] ?? 0, hours);
      }
      table[a * zones.length + b] = sum / dates.length;
    }
  }
  return table;
}

/** Every pair of the cohort scored, on this thread (score-in-parallel.ts uses several). */
export function scoreAllPairs(model: ScoringModel): ScoreTable {
  return scoreTable(model, model.mentees.length, model.mentors.length);
}

/** Summed weight of the topics mentee i and mentor j share. */
export function sharedTopicWeight(model: ScoringModel, i: number, j: number): number {
  let weight = 0;
  for (const topic of sharedTopicIds(model, i, j)) weight += model.topicWeight[topic] ?? 0;
  return weight;
}

/**
 * Summed weight of the topics mentee i shares with each mentor, for every mentor at once
 * (through the topic → mentors index, as scoring sums them): what `sharedTopicWeight` gives
 * one pair, without a list of shared topics made for each.
 */
export function sharedTopicWeights(model: ScoringModel, i: number): Float64Array {
  const weights = new Float64Array(model.mentors.length);
  const { start, items } = model.mentorsByTopic;
  for (let k = model.menteeTopics.start[i] ?? 0; k < (model.menteeTopics.start[i + 1] ?? 0); k++) {
    const topic = model.menteeTopics.items[k] ?? 0;
    const weight = model.topicWeight[topic] ?? 0;
    for (let t = start[topic] ?? 0; t < (start[topic + 1] ?? 0); t++) {
      const j = items[t] ?? 0;
      weights[j] = (weights[j] ?? 0) + weight;
    }
  }
  return weights;
}

/** The topic ids mentee i and mentor j share, in the mentee's order. */
export function sharedTopicIds(model: ScoringModel, i: number, j: number): number[] {
  const { start, items } = model.menteeTopics;
  const shared: number[] = [];
  for (let k = start[i] ?? 0; k < (start[i + 1] ?? 0); k++) {
    const topic = items[k] ?? 0;
    if (indexInRow(model.mentorTopics, j, topic) >= 0) shared.push(topic);
  }
  return shared;
}

/** The rule flags of one named pair, for explanations and pins. */
export function pairFlags(model: ScoringModel, i: number, j: number): PairFlags {
  return {
    blockedCode: blockedCodeOf(model, i, j),
    preferred: indexInRow(model.preferred, i, j) >= 0,
  };
}

/** Per topic, the mentors (rows of `mentorTopics`) who name it, by index (alike-people.ts too). */
export function mentorsByTopicOf(mentorTopics: Csr, topics: number): Csr {
  const { start, row } = byItem(mentorTopics, topics);
  return { start, items: row };
}

/**
 * Rows of which most are empty (the named pairs: most mentees name nobody), from the ones
 * that are not, each item mapped by `item`: no empty array made per mentee.
 */
function sparseCsr<T>(
  count: number,
  rows: ReadonlyMap<number, readonly T[]>,
  item: (value: T) => number,
): Csr {
  const start = new Int32Array(count + 1);
  for (const [r, row] of rows) start[r + 1] = row.length;
  for (let r = 0; r < count; r++) start[r + 1] = (start[r + 1] ?? 0) + (start[r] ?? 0);
  const items = new Int32Array(start[count] ?? 0);
  for (const [r, row] of rows) {
    row.forEach((value, k) => {
      items[(start[r] ?? 0) + k] = item(value);
    });
  }
  return { start, items };
}

/** Dense ids for strings, in order of first appearance. */
class Ids {
  readonly values: string[] = [];
  readonly #ids = new Map<string, number>();

  of(value: string): number {
    let id = this.#ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.#ids.set(value, id);
      this.values.push(value);
    }
    return id;
  }

  get size(): number {
    return this.values.length;
  }
}

/** "Northwind Analytics, Inc." and "northwind analytics inc" are one organization. */
export function normalizeOrganization(name: string | undefined): string {
  return (name ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
