import { type GroupTransport, provesOptimal, shipGroups } from './group-transport.ts';
import { type Csr, mentorColumn, rowLength, type ScoreTable, transposedTable } from './pair-scores.ts';
import { mentorsByTopicOf, type ScoringModel } from './scoring.ts';
import { costsFor } from './solver.ts';

/**
 * People alike: two mentors with the same years, time zone, languages, organization and
 * topics (as far as a score can see them, `seenOf`), whom no named pair sets apart (a
 * preference, an avoid, a forbid, an earlier partner), score the same with every mentee; so do
 * two such mentees (topics in the same order, as a mentee's topic weights are summed in that
 * order) with the same named pairs, that are not pinned. Which of them takes which place
 * changes nothing in the objective, so a cohort whose people are mostly alike is solved as a
 * much smaller problem, Bertsekas and Castañon's "similar persons and objects", and the
 * groups' places handed to their members after:
 * - alike mentors: one column per group of mentors, with their places summed;
 * - alike mentees: the problem seen from the mentors' side, one row per place (a mentor's
 *   places in a row each), one column per group of mentees, taking as many as it has members
 *   (the objective counts matched pairs and their scores, the same from either side);
 * - both sides alike, their groups few: the groups shipped to each other, a transportation
 *   problem (group-transport.ts), tried before the one side's.
 * A cohort a form asked for little (every mentee a beginner in the one topic, in one city)
 * is such a cohort: its table of equal scores took 19–33 s end to end at 10,000 × 10,000
 * (docs/matching-log.md). Where neither side's groups cut the pairs by a quarter, the cohort
 * is solved as it is.
 */

/** Groups of alike people on one side: `members[start[g] .. start[g + 1]]`, by index. */
export interface AlikeGroups {
  groupOf: Int32Array;
  start: Int32Array;
  members: Int32Array;
}

/** The smaller problem: the table the solver gets, its places, and what the groups stand for. */
export type AlikeProblem = {
  groups: AlikeGroups;
  /** Where both sides are alike and their groups few: the transport between them, tried first. */
  bothSides?: BothSides;
  /** Mentees × mentor groups, or mentor places × mentee groups. */
  table: ScoreTable;
  capacity: Int32Array;
  skipRows: Uint8Array;
} & (
  | {
      side: 'mentors';
      /** Each mentor's own places. */
      places: Int32Array;
    }
  | {
      side: 'mentees';
      /** The mentor of each place row. */
      placeMentor: Int32Array;
      /** Mentee groups × mentors, before it was turned. */
      groupTable: ScoreTable;
    }
);

/** Both sides' groups, and the transportation problem between them (group-transport.ts). */
export interface BothSides {
  menteeGroups: AlikeGroups;
  mentorGroups: AlikeGroups;
  /** Each mentor's own places. */
  places: Int32Array;
  transport: GroupTransport;
}

/**
 * Pairs of groups up to which the two sides' groups are shipped to each other directly: each
 * shortest-path search reads every one of them.
 */
const bothSidesPairs = 100_000;

/**
 * Groups whose pairs are at most this share of the cohort's are solved instead. The bench's
 * and the world's cohorts (15,300 mentor profiles among 17,000, 9,996 mentees among 10,000)
 * are solved as they are; a one-place cohort of 10,000 where half the mentees answered a short
 * form (5,008 groups) is grouped: 6.6 → 4.2 s, where 0.5 left it whole.
 */
const worthShare = 0.75;

/**
 * The cohort's smaller problem when people are alike enough, scored by `scoreAll` on the
 * groups' first members; undefined when neither side's groups cut the pairs by a quarter.
 */
export function alikeProblem(
  model: ScoringModel,
  capacity: Int32Array,
  pinnedMentor: Int32Array,
  scoreAll: (model: ScoringModel) => ScoreTable,
): AlikeProblem | undefined {
  const n = model.mentees.length;
  const m = model.mentors.length;
  if (n === 0 || m === 0) return undefined;
  const places = capacity.map((c) => Math.max(0, c));
  const placeCount = places.reduce((sum, c) => sum + c, 0);
  // Each side is grouped only as far as its groups could still cut the pairs enough.
  const mentorGroups = mentorGroupsOf(model, Math.floor(worthShare * m));
  const menteeGroups = menteeGroupsOf(
    model,
    pinnedMentor,
    Math.floor((worthShare * n * m) / Math.max(1, placeCount)),
  );
  const byMentors = mentorGroups ? n * groupCount(mentorGroups) : Number.POSITIVE_INFINITY;
  const byMentees = menteeGroups ? placeCount * groupCount(menteeGroups) : Number.POSITIVE_INFINITY;
  const bothSides =
    mentorGroups && menteeGroups && groupCount(mentorGroups) * groupCount(menteeGroups) <= bothSidesPairs
      ? { bothSides: bothSidesOf(model, menteeGroups, mentorGroups, places, pinnedMentor, scoreAll) }
      : {};
  if (mentorGroups && byMentors <= byMentees) {
    const table = scoreAll(subsetModel(model, undefined, firstMembers(mentorGroups)));
    return {
      side: 'mentors',
      groups: mentorGroups,
      table,
      capacity: groupSums(mentorGroups, (j) => places[j] ?? 0),
      skipRows: Uint8Array.from(pinnedMentor, (j) => (j >= 0 ? 1 : 0)),
      places,
      ...bothSides,
    };
  }
  if (!menteeGroups) return undefined;
  const groupTable = scoreAll(subsetModel(model, firstMembers(menteeGroups), undefined));
  const { table, placeMentor } = placeRows(transposedTable(groupTable), places);
  return {
    side: 'mentees',
    groups: menteeGroups,
    table,
    // A pinned mentee is a group of its own, which takes nobody: it is matched already.
    capacity: groupSums(menteeGroups, (i) => ((pinnedMentor[i] ?? -1) >= 0 ? 0 : 1)),
    skipRows: new Uint8Array(table.mentees),
    placeMentor,
    groupTable,
    ...bothSides,
  };
}

/**
 * The two sides' groups as a transportation problem, costed as the solver costs pairs and
 * exits (`costsFor`), each mentee a unit. A pinned mentee is a group of its own with nothing
 * to ship.
 */
function bothSidesOf(
  model: ScoringModel,
  menteeGroups: AlikeGroups,
  mentorGroups: AlikeGroups,
  places: Int32Array,
  pinnedMentor: Int32Array,
  scoreAll: (model: ScoringModel) => ScoreTable,
): BothSides {
  const table = scoreAll(subsetModel(model, firstMembers(menteeGroups), firstMembers(mentorGroups)));
  const supply = groupSums(menteeGroups, (i) => ((pinnedMentor[i] ?? -1) >= 0 ? 0 : 1));
  const costs = costsFor(
    model.program.matching.objective,
    supply.reduce((sum, units) => sum + units, 0),
  );
  return {
    menteeGroups,
    mentorGroups,
    places,
    transport: {
      rowStart: table.rowStart,
      column: Int32Array.from(table.mentor),
      cost: Float64Array.from(table.score, costs.costOf),
      supply,
      capacity: groupSums(mentorGroups, (j) => places[j] ?? 0),
      exitCost: costs.D,
    },
  };
}

/**
 * Both sides' groups shipped to each other, as a mentor per mentee (−1 for none), and the
 * searches it took; undefined when the searches run long or the potentials do not prove the
 * flow optimal (then the one-side problem is solved instead).
 */
export function shipBothSides(
  both: BothSides,
  mentees: number,
): { mentorOf: Int32Array; searches: number } | undefined {
  const { transport, menteeGroups, mentorGroups } = both;
  const shipped = shipGroups(transport, 4 * (transport.supply.length + transport.capacity.length) + 64);
  if (!shipped || !provesOptimal(transport, shipped)) return undefined;
  const mentorOf = new Int32Array(mentees).fill(-1);
  const placeIn = placesByMember(mentorGroups, both.places);
  for (let a = 0; a < transport.supply.length; a++) {
    let member = menteeGroups.start[a] ?? 0;
    for (let k = transport.rowStart[a] ?? 0; k < (transport.rowStart[a + 1] ?? 0); k++) {
      for (let unit = 0; unit < (shipped.flow[k] ?? 0); unit++) {
        mentorOf[menteeGroups.members[member++] ?? 0] = placeIn(transport.column[k] ?? 0);
      }
    }
  }
  return { mentorOf, searches: shipped.searches };
}

/** The solver's answer (a column per row of `problem.table`) as a mentor per mentee, −1 for none. */
export function mentorPerMentee(problem: AlikeProblem, columnOf: Int32Array, mentees: number): Int32Array {
  const { groups } = problem;
  const mentorOf = new Int32Array(mentees).fill(-1);
  if (problem.side === 'mentors') {
    const placeIn = placesByMember(groups, problem.places);
    for (let i = 0; i < mentees; i++) {
      const g = columnOf[i] ?? -1;
      if (g >= 0) mentorOf[i] = placeIn(g);
    }
    return mentorOf;
  }
  // Each mentee group's members take the places it was given in index order.
  const next = groups.start.slice(0, -1);
  for (let p = 0; p < columnOf.length; p++) {
    const g = columnOf[p] ?? -1;
    if (g < 0) continue;
    const i = groups.members[next[g] ?? 0] ?? 0;
    next[g] = (next[g] ?? 0) + 1;
    mentorOf[i] = problem.placeMentor[p] ?? -1;
  }
  return mentorOf;
}

/**
 * A place in mentor group g, each call the next: the group's members in index order, each up
 * to their own `places`. The group must have one left.
 */
function placesByMember(groups: AlikeGroups, places: Int32Array): (g: number) => number {
  const room = places.slice();
  const next = groups.start.slice(0, -1);
  return (g) => {
    while ((room[groups.members[next[g] ?? 0] ?? 0] ?? 0) <= 0) next[g] = (next[g] ?? 0) + 1;
    const j = groups.members[next[g] ?? 0] ?? 0;
    room[j] = (room[j] ?? 0) - 1;
    return j;
  };
}

/** Mentors mentee i is eligible with. */
export function eligibleMentors(problem: AlikeProblem, i: number): number {
  const { groups } = problem;
  if (problem.side === 'mentees') return rowLength(problem.groupTable, groups.groupOf[i] ?? 0);
  const { rowStart, mentor } = problem.table;
  let count = 0;
  for (let k = rowStart[i] ?? 0; k < (rowStart[i + 1] ?? 0); k++) count += groupSize(groups, mentor[k] ?? 0);
  return count;
}

/** Eligible pairs of the whole cohort. */
export function eligiblePairs(problem: AlikeProblem, mentees: number): number {
  let pairs = 0;
  for (let i = 0; i < mentees; i++) pairs += eligibleMentors(problem, i);
  return pairs;
}

/** Every eligible pair of the cohort, the table the groups stand for (`tandem match --scores-out`). */
export function wholeTable(problem: AlikeProblem, mentees: number, mentors: number): ScoreTable {
  const { groups } = problem;
  const rowStart = new Int32Array(mentees + 1);
  for (let i = 0; i < mentees; i++) rowStart[i + 1] = (rowStart[i] ?? 0) + eligibleMentors(problem, i);
  const mentor = mentorColumn(mentors, rowStart[mentees] ?? 0);
  const score = new Uint16Array(mentor.length);
  // A grouped mentee's row is its group's; a mentee's row of mentor groups, each group's members.
  const byMentees = problem.side === 'mentees';
  const table = byMentees ? problem.groupTable : problem.table;
  let at = 0;
  for (let i = 0; i < mentees; i++) {
    const row = byMentees ? (groups.groupOf[i] ?? 0) : i;
    for (let k = table.rowStart[row] ?? 0; k < (table.rowStart[row + 1] ?? 0); k++) {
      const column = table.mentor[k] ?? 0;
      const tenths = table.score[k] ?? 0;
      const [from, to] = byMentees ? [0, 1] : [groups.start[column] ?? 0, groups.start[column + 1] ?? 0];
      for (let g = from; g < to; g++) {
        mentor[at] = byMentees ? column : (groups.members[g] ?? 0);
        score[at++] = tenths;
      }
    }
  }
  return { mentees, mentors, rowStart, mentor, score, bestFirst: true };
}

/**
 * Groups of people alike, in order of their first member: `alone` people are a group each,
 * the others are looked up by `hashOf` and told apart by `same` against each group's first
 * member (a hash per person, not a key string: 27,000 keys took 25 ms of every match).
 * Undefined once there would be more than `limit` groups.
 */
function groupsOf(
  people: number,
  limit: number,
  alone: (p: number) => boolean,
  hashOf: (p: number) => number,
  same: (p: number, q: number) => boolean,
): AlikeGroups | undefined {
  const byHash = new Map<number, number[]>();
  const first: number[] = [];
  const groupOf = new Int32Array(people);
  for (let p = 0; p < people; p++) {
    let g = -1;
    if (!alone(p)) {
      const hash = hashOf(p);
      const groups = byHash.get(hash);
      g = groups?.find((h) => same(first[h] ?? 0, p)) ?? -1;
      if (g < 0) {
        if (groups) groups.push(first.length);
        else byHash.set(hash, [first.length]);
      }
    }
    if (g < 0) {
      if (first.length === limit) return undefined;
      g = first.length;
      first.push(p);
    }
    groupOf[p] = g;
  }
  const start = new Int32Array(first.length + 1);
  for (const g of groupOf) start[g + 1] = (start[g + 1] ?? 0) + 1;
  for (let g = 0; g < first.length; g++) start[g + 1] = (start[g + 1] ?? 0) + (start[g] ?? 0);
  const at = start.slice(0, -1);
  const members = new Int32Array(people);
  groupOf.forEach((g, p) => {
    members[at[g] ?? 0] = p;
    at[g] = (at[g] ?? 0) + 1;
  });
  return { groupOf, start, members };
}

const groupCount = (groups: AlikeGroups) => groups.start.length - 1;
const groupSize = (groups: AlikeGroups, g: number) => (groups.start[g + 1] ?? 0) - (groups.start[g] ?? 0);
const firstMembers = (groups: AlikeGroups) =>
  Int32Array.from({ length: groupCount(groups) }, (_, g) => groups.members[groups.start[g] ?? 0] ?? 0);
const groupSums = (groups: AlikeGroups, amountOf: (p: number) => number) =>
  Int32Array.from({ length: groupCount(groups) }, (_, g) => {
    let sum = 0;
    for (let k = groups.start[g] ?? 0; k < (groups.start[g + 1] ?? 0); k++)
      sum += amountOf(groups.members[k] ?? 0);
    return sum;
  });

/** Mentors some named pair refers to (in a mentee's blocked or preferred row): each alone. */
function namedMentors(model: ScoringModel): Uint8Array {
  const named = new Uint8Array(model.mentors.length);
  for (const j of model.blocked.items) named[j] = 1;
  for (const j of model.preferred.items) named[j] = 1;
  return named;
}

/** The mentors grouped: alike in everything their pairs' scores can see. */
function mentorGroupsOf(model: ScoringModel, limit: number): AlikeGroups | undefined {
  const named = namedMentors(model);
  const years = model.mentorYears;
  const seen = seenOf(model, 'mentor');
  // A mentor's topics count as a set, and only those some mentee names: which of the mentee's
  // topics it has is all a pair reads.
  const namedTopics = new Uint8Array(model.topicWeight.length);
  for (const topic of model.menteeTopics.items) namedTopics[topic] = 1;
  const { start, items } = model.mentorTopics;
  const topicsHash = (j: number) => {
    let hash = 0;
    for (let k = start[j] ?? 0; k < (start[j + 1] ?? 0); k++) {
      if (namedTopics[items[k] ?? 0]) hash = (hash + mix(0, items[k] ?? 0)) | 0;
    }
    return hash;
  };
  const topics = (j: number) =>
    row(model.mentorTopics, j)
      .filter((topic) => namedTopics[topic] === 1)
      .sort();
  return groupsOf(
    model.mentors.length,
    limit,
    (j) => named[j] === 1,
    (j) => mix(mix(seen.hash(j), years[j] ?? 0), topicsHash(j)),
    (j, k) => years[j] === years[k] && seen.same(j, k) && sameItems(topics(j), topics(k)),
  );
}

/**
 * The mentees grouped: alike in everything their pairs' scores can see, topics in the same
 * order, and in their named pairs (the same mentors preferred, the same blocked): seven
 * beginners in ten asking for one of ten star mentors are eleven kinds of beginner, not 7,000.
 */
function menteeGroupsOf(
  model: ScoringModel,
  pinnedMentor: Int32Array,
  limit: number,
): AlikeGroups | undefined {
  const years = model.menteeYears;
  const seen = seenOf(model, 'mentee');
  // A blocked pair's rule is only for explanations, which read each member's own: which
  // mentors are blocked is what the scores see.
  const { blocked, preferred, menteeTopics } = model;
  return groupsOf(
    model.mentees.length,
    limit,
    (i) => (pinnedMentor[i] ?? -1) >= 0,
    (i) =>
      mix(
        mix(mix(mix(seen.hash(i), years[i] ?? 0), listHash(menteeTopics, i)), listHash(preferred, i)),
        listHash(blocked, i),
      ),
    (i, k) =>
      years[i] === years[k] &&
      seen.same(i, k) &&
      sameItems(row(menteeTopics, i), row(menteeTopics, k)) &&
      sameItems(row(preferred, i), row(preferred, k)) &&
      sameItems(row(blocked, i), row(blocked, k)),
  );
}

/**
 * What a pair's score can see of each person on one side, beyond years and topics, as a few
 * 32-bit words each: the organization only under the same-organization rule, and only one
 * the other side has (a company of one's own excludes nobody); the time zone as its
 * working-hours overlap with every zone (Berlin and Paris are one); the languages the other
 * side speaks, and whether any were given at all (none given is not the same as none shared).
 */
function seenOf(model: ScoringModel, side: 'mentee' | 'mentor') {
  const mentee = side === 'mentee';
  const people = mentee ? model.mentees.length : model.mentors.length;
  const words = model.languageWords;
  const own = mentee ? model.menteeLanguages : model.mentorLanguages;
  const spoken = new Uint32Array(words);
  (mentee ? model.mentorLanguages : model.menteeLanguages).forEach((bits, k) => {
    spoken[k % words] = (spoken[k % words] ?? 0) | bits;
  });
  const theirOrganizations = new Set(mentee ? model.mentorOrganization : model.menteeOrganization);
  const zoneClass = zoneClasses(model, side);
  const size = words + 3;
  const seen = new Uint32Array(people * size);
  for (let p = 0; p < people; p++) {
    let given = 0;
    for (let w = 0; w < words; w++) {
      const bits = own[p * words + w] ?? 0;
      given |= bits;
      seen[p * size + w] = bits & (spoken[w] ?? 0);
    }
    const organization = (mentee ? model.menteeOrganization : model.mentorOrganization)[p] ?? 0;
    const counts = model.params.excludeSameOrganization && theirOrganizations.has(organization);
    seen[p * size + words] = given === 0 ? 0 : 1;
    seen[p * size + words + 1] = counts ? organization : 0;
    seen[p * size + words + 2] = zoneClass[(mentee ? model.menteeZone : model.mentorZone)[p] ?? 0] ?? 0;
  }
  return wordsOf(seen, size);
}

/** Each zone's class: zones whose working-hours overlap with every zone is the same are one. */
function zoneClasses(model: ScoringModel, side: 'mentee' | 'mentor'): Int32Array {
  const zones = model.zoneCount;
  const ids = new Map<string, number>();
  return Int32Array.from({ length: zones }, (_, z) => {
    // A mentee's zone is a row of the overlap table, a mentor's a column.
    const overlaps = Array.from({ length: zones }, (_, y) =>
      side === 'mentee' ? model.overlapHours[z * zones + y] : model.overlapHours[y * zones + z],
    );
    const key = overlaps.join(',');
    const id = ids.get(key) ?? ids.size;
    ids.set(key, id);
    return id;
  });
}

/** One 32-bit step of a hash (a multiply and a rotation, as in MurmurHash3's mixing). */
const mix = (hash: number, value: number) => {
  const h = Math.imul(hash ^ Math.imul(Math.round(value * 1024) | 0, 0xcc9e2d51), 0x1b873593);
  return (h << 13) | (h >>> 19);
};
/** Row r's items, in order. */
function listHash({ start, items }: Csr, r: number): number {
  let hash = 0;
  for (let k = start[r] ?? 0; k < (start[r + 1] ?? 0); k++) hash = mix(hash, items[k] ?? 0);
  return hash;
}
const sameItems = (a: Int32Array, b: Int32Array) => a.length === b.length && a.every((x, k) => x === b[k]);

/** A person's language bits: `words` 32-bit words each. */
function wordsOf(bits: Uint32Array, words: number) {
  return {
    hash: (p: number) => {
      let hash = 0;
      for (let k = p * words; k < (p + 1) * words; k++) hash = mix(hash, bits[k] ?? 0);
      return hash;
    },
    same: (p: number, q: number) => {
      for (let k = 0; k < words; k++) if (bits[p * words + k] !== bits[q * words + k]) return false;
      return true;
    },
  };
}

const row = (csr: Csr, r: number) => csr.items.subarray(csr.start[r] ?? 0, csr.start[r + 1] ?? 0);

/** The rows of `csr` in `rows`' order, each item renumbered by `renumber` (−1: none may be left out). */
function subsetRows(csr: Csr, rows: Int32Array | undefined, renumber?: Int32Array): Csr {
  const picked = rows ?? Int32Array.from({ length: csr.start.length - 1 }, (_, r) => r);
  const start = new Int32Array(picked.length + 1);
  picked.forEach((r, k) => {
    start[k + 1] = (start[k] ?? 0) + row(csr, r).length;
  });
  const items = new Int32Array(start[picked.length] ?? 0);
  picked.forEach((r, k) => {
    items.set(row(csr, r), start[k] ?? 0);
  });
  if (renumber) for (let k = 0; k < items.length; k++) items[k] = renumber[items[k] ?? 0] ?? -1;
  return { start, items };
}

/**
 * The model of some of the cohort's mentees and mentors (all of a side when undefined), the
 * cohort's own topic weights kept: their pairs score exactly as in the whole cohort. Every
 * mentor a named pair refers to must be among `mentorIds` (they are groups of their own).
 */
function subsetModel(model: ScoringModel, menteeIds?: Int32Array, mentorIds?: Int32Array): ScoringModel {
  // Built from the values' own type: `Int32Array.map` would cut fractional years and totals.
  const pick = <T extends Float64Array | Int32Array>(values: T, ids?: Int32Array): T => {
    if (!ids) return values;
    const picked = new (values.constructor as new (length: number) => T)(ids.length);
    ids.forEach((p, k) => {
      picked[k] = values[p] ?? 0;
    });
    return picked;
  };
  const words = model.languageWords;
  const languages = (bits: Uint32Array, ids?: Int32Array) => {
    if (!ids) return bits;
    const picked = new Uint32Array(ids.length * words);
    ids.forEach((p, k) => {
      picked.set(bits.subarray(p * words, (p + 1) * words), k * words);
    });
    return picked;
  };
  const m = model.mentors.length;
  let renumber: Int32Array | undefined;
  if (mentorIds) {
    renumber = new Int32Array(m).fill(-1);
    mentorIds.forEach((j, k) => {
      if (renumber) renumber[j] = k;
    });
  }
  const mentorTopics = subsetRows(model.mentorTopics, mentorIds);
  const mentorsByTopic = mentorsByTopicOf(mentorTopics, model.topicWeight.length);
  const blockedRows = menteeIds ?? Int32Array.from(model.mentees, (_, i) => i);
  const blockedReason = new Uint8Array(blockedRows.reduce((sum, i) => sum + row(model.blocked, i).length, 0));
  let at = 0;
  for (const i of blockedRows) {
    for (let k = model.blocked.start[i] ?? 0; k < (model.blocked.start[i + 1] ?? 0); k++) {
      blockedReason[at++] = model.blockedReason[k] ?? 0;
    }
  }
  return {
    ...model,
    mentees: menteeIds ? people(model.mentees, menteeIds) : model.mentees,
    mentors: mentorIds ? people(model.mentors, mentorIds) : model.mentors,
    menteeYears: pick(model.menteeYears, menteeIds),
    menteeZone: pick(model.menteeZone, menteeIds),
    menteeLanguages: languages(model.menteeLanguages, menteeIds),
    menteeOrganization: pick(model.menteeOrganization, menteeIds),
    menteeTopics: subsetRows(model.menteeTopics, menteeIds),
    menteeTopicTotal: pick(model.menteeTopicTotal, menteeIds),
    mentorYears: pick(model.mentorYears, mentorIds),
    mentorZone: pick(model.mentorZone, mentorIds),
    mentorLanguages: languages(model.mentorLanguages, mentorIds),
    mentorOrganization: pick(model.mentorOrganization, mentorIds),
    mentorTopics,
    mentorsByTopic,
    blocked: subsetRows(model.blocked, menteeIds, renumber),
    blockedReason,
    preferred: subsetRows(model.preferred, menteeIds, renumber),
  };
}

const people = <T>(all: readonly T[], ids: Int32Array): T[] =>
  Array.from(ids).flatMap((p) => (all[p] === undefined ? [] : [all[p]]));

/** The mentors' rows of a turned table, each as many times as the mentor has places. */
function placeRows(
  byMentor: ScoreTable,
  capacity: Int32Array,
): { table: ScoreTable; placeMentor: Int32Array } {
  const placeMentor = Int32Array.from(
    Array.from(capacity, (c, j) => Array.from({ length: Math.max(0, c) }, () => j)).flat(),
  );
  const rowStart = new Int32Array(placeMentor.length + 1);
  placeMentor.forEach((j, p) => {
    rowStart[p + 1] = (rowStart[p] ?? 0) + rowLength(byMentor, j);
  });
  const mentor = mentorColumn(byMentor.mentors, rowStart[placeMentor.length] ?? 0);
  const score = new Uint16Array(mentor.length);
  placeMentor.forEach((j, p) => {
    const from = byMentor.rowStart[j] ?? 0;
    const to = byMentor.rowStart[j + 1] ?? 0;
    mentor.set(byMentor.mentor.subarray(from, to), rowStart[p] ?? 0);
    score.set(byMentor.score.subarray(from, to), rowStart[p] ?? 0);
  });
  const table = { mentees: placeMentor.length, mentors: byMentor.mentors, rowStart, mentor, score };
  return { table, placeMentor };
}
