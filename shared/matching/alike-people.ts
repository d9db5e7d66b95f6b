import { type GroupTransport, provesOptimal, shipGroups } from './group-transport.ts';
import {
  bestFirstRows,
  bucketed,
  type Csr,
  evaluatePair,
  mentorColumn,
  RowScoreReader,
  rowLength,
  type ScoreTable,
  tableOfScores,
  transposedTable,
} from './pair-scores.ts';
import { mentorsByTopicOf, pairFlags, type ScoringModel, sharedTopicWeight } from './scoring.ts';
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
 * A mentee who names mentors of their own in `preferred` (or is named by them) is alike with
 * the others all the same: their row is the group's but for those pairs, which earn the bonus
 * (one mentor: `OwnPreferences`; several: the transport's feeders, `severalPairsOf`).
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

/**
 * The smaller problem: one side's groups, both sides' where they are few, and every pair of
 * the cohort as the groups hold them.
 */
export interface AlikeProblem {
  /** The side whose groups the solver's problem has (`oneSide`), or the mentees' shipped where it has none. */
  side: OneSide['side'];
  groups: AlikeGroups;
  /** Where both sides are alike and their groups few: the transport between them, tried first. */
  bothSides?: BothSides;
  /** Every pair of the cohort, by the groups (`eligibleCounter`, `wholeTable`). */
  pairs: GroupedPairs;
  /**
   * The problem of one side's groups for the solver, built when first asked: where both sides'
   * groups are shipped to each other, only if that fails. Undefined where only the transport
   * groups enough (mentees naming several mentors, grouped by them on one side, are too many
   * groups): then the cohort is solved whole if the transport fails.
   */
  oneSide(): OneSide | undefined;
}

/** One side's groups as the solver's problem: its table, its places, and what the groups stand for. */
export type OneSide = {
  groups: AlikeGroups;
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
      /** Per place row, the own preference entry whose bonus it scores, or −1. */
      placeBonus: Int32Array;
      own: OwnPreferences;
    }
);

/**
 * The cohort's pairs as groups hold them: mentee i's are row `rowOf[i]` of `table` (row i
 * without `rowOf`), each column standing for the mentors of its group in `columns` (for one
 * mentor without it), and a mentee who names mentors of their own has those pairs with the
 * bonus (`bonus`).
 */
export interface GroupedPairs {
  table: ScoreTable;
  rowOf?: Int32Array;
  columns?: AlikeGroups;
  bonus?: BonusPairs;
}

/**
 * Per mentee, the pairs its bonus scores beside its group's row: mentors `mentor[start[i] ..
 * start[i + 1]]` (in the table, column `column[k]`) at `tenths[k]`, `added` where the group's
 * row lacks the pair (not eligible without the bonus).
 */
export interface BonusPairs {
  start: Int32Array;
  mentor: Int32Array;
  column: Int32Array;
  tenths: Uint16Array;
  added: Uint8Array;
}

/**
 * Mentees who each name one mentor of their own (in `preferred`, theirs or the mentor's), in a
 * group of mentees alike in everything else: their rows are the group's but for that pair,
 * which earns the preferred bonus. A group's row is scored without them; per (group, mentor)
 * named, the pair's score with the bonus and the mentees who name that mentor. Exact as long
 * as each names one mentor only, and that mentor's places can hold all who name them or are
 * named from one group only (`contestedMentors`): each entry's bonus is a range of the
 * mentor's places of its own, as many as name the mentor (or a transport arc of as many
 * units), handed to those mentees; the group's other places go to any member (one who names
 * a mentor takes another place at the group's score, as their row has it). Ten percent of the
 * beginners of a short form naming a mentor each: 3.8 s before, each a group of their own
 * (docs/matching-log.md).
 */
export interface OwnPreferences {
  /** Per entry: the group, the mentor named, and their pair's score with the bonus. */
  group: Int32Array;
  mentor: Int32Array;
  tenths: Uint16Array;
  /** Whether the group's own row lacks the pair (not eligible without the bonus). */
  added: Uint8Array;
  /** The entry's mentees: `members[start[e] .. start[e + 1]]`, in index order. */
  start: Int32Array;
  members: Int32Array;
  /** Per mentee, its entry, or −1. */
  entryOf: Int32Array;
}

/** Both sides' groups, and the transportation problem between them (group-transport.ts). */
export interface BothSides {
  menteeGroups: AlikeGroups;
  mentorGroups: AlikeGroups;
  /** Each mentor's own places. */
  places: Int32Array;
  transport: GroupTransport;
  /** Every pair of the cohort: mentee groups × mentor groups, and each mentee's bonus pairs. */
  pairs: GroupedPairs;
  own: OwnPreferences;
  /** The transport's arc of each own preference entry. */
  bonusArc: Int32Array;
  /** The mentee of each of the transport's feeders (mentees naming several mentors). */
  feederMentee: Int32Array;
}

/**
 * Pairs of groups up to which the two sides' groups are shipped to each other directly: each
 * shortest-path search reads every one of them. Where the mentors are not grouped, and the
 * mentees are only as the transport groups them (naming several mentors of their own), the
 * alternative is the cohort solved whole: up to `onlyWayPairs`, each mentor a column (three
 * beginners in ten naming three mentors each, 50,000 × 17,000 × 3: 204 s and 7.5 GB whole,
 * 20 s shipped; where one side's groups are solved instead, they can be several times faster
 * than such a transport).
 */
const bothSidesPairs = 100_000;
const onlyWayPairs = 1_000_000;

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
  shipBoth = true,
): AlikeProblem | undefined {
  const n = model.mentees.length;
  const m = model.mentors.length;
  if (n === 0 || m === 0) return undefined;
  const places = capacity.map((c) => Math.max(0, c));
  const placeCount = places.reduce((sum, c) => sum + c, 0);
  // Each side is grouped only as far as its groups could still cut the pairs enough.
  const mentorGroups = mentorGroupsOf(model, Math.floor(worthShare * m));
  const mentees = menteeGroupsOf(
    model,
    pinnedMentor,
    places,
    Math.floor((worthShare * n * m) / Math.max(1, placeCount)),
  );
  const menteeGroups = mentees?.forOneSide?.groups;
  const byMentors = mentorGroups ? n * groupCount(mentorGroups) : Number.POSITIVE_INFINITY;
  const byMentees = menteeGroups ? placeCount * groupCount(menteeGroups) : Number.POSITIVE_INFINITY;
  // The mentors as the transport's columns: their groups, or each on their own where nothing
  // else is grouped.
  const onlyWay = !mentorGroups && !mentees?.forOneSide;
  const columns = mentorGroups ?? (onlyWay ? eachAlone(m) : undefined);
  const both =
    shipBoth &&
    mentees &&
    columns &&
    groupCount(columns) * groupCount(mentees.forBothSides.groups) <= (onlyWay ? onlyWayPairs : bothSidesPairs)
      ? bothSidesOf(model, mentees.forBothSides, columns, places, pinnedMentor, scoreAll)
      : undefined;
  const shared = both ? { bothSides: both } : {};
  if (mentorGroups && byMentors <= byMentees) {
    const oneSide = once((): OneSide & { side: 'mentors' } => ({
      side: 'mentors',
      groups: mentorGroups,
      table: scoreAll(subsetModel(model, undefined, firstMembers(mentorGroups))),
      capacity: groupSums(mentorGroups, (j) => places[j] ?? 0),
      skipRows: Uint8Array.from(pinnedMentor, (j) => (j >= 0 ? 1 : 0)),
      places,
    }));
    const pairs = both?.pairs ?? { table: oneSide().table, columns: mentorGroups };
    return { side: 'mentors', groups: mentorGroups, pairs, oneSide, ...shared };
  }
  const forOneSide = mentees?.forOneSide;
  if (!forOneSide || !menteeGroups) {
    return (
      both && {
        side: 'mentees',
        groups: both.menteeGroups,
        pairs: both.pairs,
        oneSide: () => undefined,
        bothSides: both,
      }
    );
  }
  // The mentee groups' rows are scored without their members' own preferences.
  const scored = once(() => {
    const groupTable = scoreAll(subsetModel(forOneSide.plain, firstMembers(menteeGroups), undefined));
    return { groupTable, own: ownPreferencesOf(model, forOneSide, groupTable, (j) => j) };
  });
  const oneSide = once((): OneSide => {
    const { groupTable, own } = scored();
    const { table, placeMentor, placeBonus } = placeRows(transposedTable(groupTable), places, own);
    return {
      side: 'mentees',
      groups: menteeGroups,
      table,
      // A pinned mentee is a group of its own, which takes nobody: it is matched already.
      capacity: groupSums(menteeGroups, (i) => ((pinnedMentor[i] ?? -1) >= 0 ? 0 : 1)),
      skipRows: new Uint8Array(table.mentees),
      placeMentor,
      placeBonus,
      own,
    };
  });
  const pairs = both?.pairs ?? {
    table: scored().groupTable,
    rowOf: menteeGroups.groupOf,
    bonus: bonusPairsOf(n, scored().own, (j) => j),
  };
  return { side: 'mentees', groups: menteeGroups, pairs, oneSide, ...shared };
}

/** `make`'s value, made on the first call. */
export function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}

/**
 * The two sides' groups as a transportation problem, costed as the solver costs pairs and
 * exits (`costsFor`), each mentee a unit. A pinned mentee is a group of its own with nothing
 * to ship.
 */
function bothSidesOf(
  model: ScoringModel,
  mentees: MenteeGroups,
  mentorGroups: AlikeGroups,
  places: Int32Array,
  pinnedMentor: Int32Array,
  scoreAll: (model: ScoringModel) => ScoreTable,
): BothSides {
  const menteeGroups = mentees.groups;
  const table = scoreAll(subsetModel(mentees.plain, firstMembers(menteeGroups), firstMembers(mentorGroups)));
  const columnOf = (j: number) => mentorGroups.groupOf[j] ?? 0;
  const own = ownPreferencesOf(model, mentees, table, columnOf);
  // A mentee naming several mentors is a unit of their own (a feeder), through their group or not.
  const members = groupSums(menteeGroups, (i) => ((pinnedMentor[i] ?? -1) >= 0 ? 0 : 1));
  const supply = groupSums(menteeGroups, (i) => ((pinnedMentor[i] ?? -1) >= 0 || mentees.several[i] ? 0 : 1));
  const costs = costsFor(
    model.program.matching.objective,
    members.reduce((sum, units) => sum + units, 0),
  );
  const feeding = severalPairsOf(model, mentees, table, columnOf);
  // Each group's row: its pairs with the mentor groups, then one arc per own preference entry
  // of the group (to the named mentor, a group of one), taking as many as name that mentor.
  const entries = own.group.length;
  const rowStart = new Int32Array(table.mentees + 1);
  for (let g = 0; g < table.mentees; g++) rowStart[g + 1] = rowLength(table, g);
  for (const g of own.group) rowStart[g + 1] = (rowStart[g + 1] ?? 0) + 1;
  for (let g = 0; g < table.mentees; g++) rowStart[g + 1] = (rowStart[g + 1] ?? 0) + (rowStart[g] ?? 0);
  const arcs = rowStart[table.mentees] ?? 0;
  const column = new Int32Array(arcs);
  const cost = new Float64Array(arcs);
  const arcLimit = new Int32Array(arcs);
  const bonusArc = new Int32Array(entries);
  let to = 0;
  let e = 0;
  const score = new RowScoreReader(table);
  for (let g = 0; g < table.mentees; g++) {
    score.row(g);
    for (let k = table.rowStart[g] ?? 0; k < (table.rowStart[g + 1] ?? 0); k++, to++) {
      column[to] = table.mentor[k] ?? 0;
      cost[to] = costs.costOf(score.at(k));
      arcLimit[to] = members[g] ?? 0;
    }
    // The entries are in group order.
    for (; e < entries && own.group[e] === g; e++, to++) {
      bonusArc[e] = to;
      column[to] = columnOf(own.mentor[e] ?? 0);
      cost[to] = costs.costOf(own.tenths[e] ?? 0);
      arcLimit[to] = entrySize(own, e);
    }
  }
  const feederMentee = feeding.mentees;
  return {
    menteeGroups,
    mentorGroups,
    places,
    pairs: {
      table,
      rowOf: menteeGroups.groupOf,
      columns: mentorGroups,
      bonus: bonusPairsOf(model.mentees.length, own, columnOf, feeding),
    },
    own,
    bonusArc,
    feederMentee,
    transport: {
      rowStart,
      column,
      cost,
      supply,
      capacity: groupSums(mentorGroups, (j) => places[j] ?? 0),
      ...(entries > 0 ? { arcLimit } : {}),
      exitCost: costs.D,
      ...(feederMentee.length > 0
        ? {
            feeders: {
              row: Int32Array.from(feederMentee, (i) => menteeGroups.groupOf[i] ?? 0),
              start: feeding.start,
              column: feeding.column,
              cost: Float64Array.from(feeding.tenths, costs.costOf),
            },
          }
        : {}),
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
  const { transport, menteeGroups, mentorGroups, own, bonusArc, feederMentee } = both;
  const feeders = transport.feeders;
  const nodes = transport.supply.length + transport.capacity.length + feederMentee.length;
  const shipped = shipGroups(transport, 4 * nodes + 64);
  if (!shipped || !provesOptimal(transport, shipped)) return undefined;
  const placeIn = placesByMember(mentorGroups, both.places);
  const hand = handOut(menteeGroups, own, mentees);
  // A mentee naming several mentors, shipped by an arc of their own: that mentor's place.
  feederMentee.forEach((i, f) => {
    for (let k = feeders?.start[f] ?? 0; k < (feeders?.start[f + 1] ?? 0); k++) {
      if (shipped.feederFlow[k]) hand.toMentee(i, placeIn(feeders?.column[k] ?? 0));
    }
  });
  // The bonus's places go to those who name the mentor first, then the groups' other places.
  const bonus = new Uint8Array(transport.column.length);
  bonusArc.forEach((k, e) => {
    bonus[k] = 1;
    for (let unit = 0; unit < (shipped.flow[k] ?? 0); unit++)
      hand.toNaming(e, placeIn(transport.column[k] ?? 0));
  });
  for (let a = 0; a < transport.supply.length; a++) {
    for (let k = transport.rowStart[a] ?? 0; k < (transport.rowStart[a + 1] ?? 0); k++) {
      if (bonus[k]) continue;
      for (let unit = 0; unit < (shipped.flow[k] ?? 0); unit++)
        hand.toMember(a, placeIn(transport.column[k] ?? 0));
    }
  }
  return { mentorOf: hand.mentorOf, searches: shipped.searches };
}

/**
 * The pairs of the mentees who name several mentors (`MenteeGroups.several`), each scored with
 * the bonus where eligible, as `BonusPairs` by feeder (`mentees`: the mentee of each) in the
 * table's columns (`columnOf`), `added` where the mentee's group row (of `table`) lacks it.
 */
function severalPairsOf(
  model: ScoringModel,
  { groups, several }: MenteeGroups,
  table: ScoreTable,
  columnOf: (j: number) => number,
): BonusPairs & { mentees: Int32Array } {
  const mentees: number[] = [];
  several.forEach((flag, i) => {
    if (flag) mentees.push(i);
  });
  // By group, so that each group's row is read once (`rowScores`).
  mentees.sort((a, b) => (groups.groupOf[a] ?? 0) - (groups.groupOf[b] ?? 0) || a - b);
  const start = [0];
  const mentor: number[] = [];
  const tenths: number[] = [];
  const added: number[] = [];
  const scoresOf = rowScores(table);
  for (const i of mentees) {
    const inRow = scoresOf(groups.groupOf[i] ?? 0);
    for (let k = model.preferred.start[i] ?? 0; k < (model.preferred.start[i + 1] ?? 0); k++) {
      const j = model.preferred.items[k] ?? 0;
      const score = evaluatePair(model, i, j, sharedTopicWeight(model, i, j), pairFlags(model, i, j));
      if (score < 0) continue;
      mentor.push(j);
      tenths.push(score);
      added.push((inRow[columnOf(j)] ?? -1) < 0 ? 1 : 0);
    }
    start.push(mentor.length);
  }
  return {
    mentees: Int32Array.from(mentees),
    start: Int32Array.from(start),
    mentor: Int32Array.from(mentor),
    column: Int32Array.from(mentor, columnOf),
    tenths: Uint16Array.from(tenths),
    added: Uint8Array.from(added),
  };
}

/** Every mentee's bonus pairs: its own preference entry's, or those it has as a feeder. */
function bonusPairsOf(
  mentees: number,
  own: OwnPreferences,
  columnOf: (j: number) => number,
  several?: BonusPairs & { mentees: Int32Array },
): BonusPairs {
  const feederOf = new Int32Array(mentees).fill(-1);
  several?.mentees.forEach((i, f) => {
    feederOf[i] = f;
  });
  const pairsOf = (i: number) => {
    const f = feederOf[i] ?? -1;
    if (several && f >= 0) return (several.start[f + 1] ?? 0) - (several.start[f] ?? 0);
    return (own.entryOf[i] ?? -1) >= 0 ? 1 : 0;
  };
  const start = new Int32Array(mentees + 1);
  for (let i = 0; i < mentees; i++) start[i + 1] = (start[i] ?? 0) + pairsOf(i);
  const total = start[mentees] ?? 0;
  const bonus = {
    start,
    mentor: new Int32Array(total),
    column: new Int32Array(total),
    tenths: new Uint16Array(total),
    added: new Uint8Array(total),
  };
  for (let i = 0; i < mentees; i++) {
    const at = start[i] ?? 0;
    const f = feederOf[i] ?? -1;
    const e = own.entryOf[i] ?? -1;
    if (several && f >= 0) {
      const from = several.start[f] ?? 0;
      const to = several.start[f + 1] ?? 0;
      bonus.mentor.set(several.mentor.subarray(from, to), at);
      bonus.column.set(several.column.subarray(from, to), at);
      bonus.tenths.set(several.tenths.subarray(from, to), at);
      bonus.added.set(several.added.subarray(from, to), at);
    } else if (e >= 0) {
      bonus.mentor[at] = own.mentor[e] ?? 0;
      bonus.column[at] = columnOf(own.mentor[e] ?? 0);
      bonus.tenths[at] = own.tenths[e] ?? 0;
      bonus.added[at] = own.added[e] ?? 0;
    }
  }
  return bonus;
}

/** The solver's answer (a column per row of `problem.table`) as a mentor per mentee, −1 for none. */
export function mentorPerMentee(problem: OneSide, columnOf: Int32Array, mentees: number): Int32Array {
  const { groups } = problem;
  if (problem.side === 'mentors') {
    const mentorOf = new Int32Array(mentees).fill(-1);
    const placeIn = placesByMember(groups, problem.places);
    for (let i = 0; i < mentees; i++) {
      const g = columnOf[i] ?? -1;
      if (g >= 0) mentorOf[i] = placeIn(g);
    }
    return mentorOf;
  }
  // A place that scores a group's bonus goes to one who names its mentor; the groups' other
  // places to their members in index order.
  const { own, placeMentor, placeBonus } = problem;
  const hand = handOut(groups, own, mentees);
  const regular: number[] = [];
  for (let p = 0; p < columnOf.length; p++) {
    const g = columnOf[p] ?? -1;
    if (g < 0) continue;
    const e = placeBonus[p] ?? -1;
    if (e >= 0 && own.group[e] === g) hand.toNaming(e, placeMentor[p] ?? 0);
    else regular.push(p);
  }
  for (const p of regular) hand.toMember(columnOf[p] ?? 0, placeMentor[p] ?? 0);
  return hand.mentorOf;
}

/**
 * Hands a mentee group's places to its members: `toNaming` to the next of an own preference
 * entry's mentees, `toMember` to the group's next member not placed yet, in index order.
 * Every bonus place is handed out before the others.
 */
function handOut(groups: AlikeGroups, own: OwnPreferences, mentees: number) {
  const mentorOf = new Int32Array(mentees).fill(-1);
  const nextNaming = own.start.slice(0, -1);
  const next = groups.start.slice(0, -1);
  return {
    mentorOf,
    toMentee(i: number, j: number) {
      mentorOf[i] = j;
    },
    toNaming(e: number, j: number) {
      const at = nextNaming[e] ?? 0;
      if (at === own.start[e + 1])
        throw new Error(`own preference entry ${e} has no mentee left for a place`);
      nextNaming[e] = at + 1;
      mentorOf[own.members[at] ?? 0] = j;
    },
    toMember(g: number, j: number) {
      let at = next[g] ?? 0;
      const end = groups.start[g + 1] ?? 0;
      while (at < end && (mentorOf[groups.members[at] ?? 0] ?? -1) >= 0) at++;
      if (at === end) throw new Error(`mentee group ${g} has no member left for a place`);
      next[g] = at + 1;
      mentorOf[groups.members[at] ?? 0] = j;
    },
  };
}

const entrySize = (own: OwnPreferences, e: number) => (own.start[e + 1] ?? 0) - (own.start[e] ?? 0);

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

/**
 * How many mentors each mentee is eligible with, from the groups' rows: each row's count
 * found once (a row of mentor groups counts their members), then a mentee's is its row's,
 * and one more for each pair a bonus made eligible.
 */
export function eligibleCounter({ table, rowOf, columns, bonus }: GroupedPairs): (i: number) => number {
  const perRow = Int32Array.from({ length: table.mentees }, (_, r) => {
    if (!columns) return rowLength(table, r);
    let count = 0;
    for (let k = table.rowStart[r] ?? 0; k < (table.rowStart[r + 1] ?? 0); k++) {
      count += groupSize(columns, table.mentor[k] ?? 0);
    }
    return count;
  });
  return (i) => {
    let count = perRow[rowOf ? (rowOf[i] ?? 0) : i] ?? 0;
    for (let k = bonus?.start[i] ?? 0; k < (bonus?.start[i + 1] ?? 0); k++) count += bonus?.added[k] ?? 0;
    return count;
  };
}

/** Eligible pairs of the whole cohort. */
export function eligiblePairs(pairs: GroupedPairs, mentees: number): number {
  const count = eligibleCounter(pairs);
  let sum = 0;
  for (let i = 0; i < mentees; i++) sum += count(i);
  return sum;
}

/** Every eligible pair of the cohort, the table the groups stand for (`tandem match --scores-out`). */
export function wholeTable(pairs: GroupedPairs, mentees: number, mentors: number): ScoreTable {
  const { table, rowOf, columns, bonus } = pairs;
  const count = eligibleCounter(pairs);
  const rowStart = new Int32Array(mentees + 1);
  for (let i = 0; i < mentees; i++) rowStart[i + 1] = (rowStart[i] ?? 0) + count(i);
  const mentor = mentorColumn(mentors, rowStart[mentees] ?? 0);
  const score = new Uint16Array(mentor.length);
  const groupScore = new RowScoreReader(table);
  let at = 0;
  for (let i = 0; i < mentees; i++) {
    const row = rowOf ? (rowOf[i] ?? 0) : i;
    groupScore.row(row);
    // A mentee who names mentors of their own: the group's row, those pairs with the bonus.
    const from = bonus?.start[i] ?? 0;
    const to = bonus?.start[i + 1] ?? 0;
    for (let k = table.rowStart[row] ?? 0; k < (table.rowStart[row + 1] ?? 0); k++) {
      const column = table.mentor[k] ?? 0;
      let tenths = groupScore.at(k);
      for (let b = from; b < to; b++) if (bonus?.column[b] === column) tenths = bonus.tenths[b] ?? 0;
      // A column of mentor groups stands for each of its members.
      const [first, end] = columns ? [columns.start[column] ?? 0, columns.start[column + 1] ?? 0] : [0, 1];
      for (let g = first; g < end; g++) {
        mentor[at] = columns ? (columns.members[g] ?? 0) : column;
        score[at++] = tenths;
      }
    }
    for (let b = from; b < to; b++) {
      if (!bonus?.added[b]) continue;
      mentor[at] = bonus.mentor[b] ?? 0;
      score[at++] = bonus.tenths[b] ?? 0;
    }
  }
  const whole = tableOfScores({ mentees, mentors, rowStart, mentor, score });
  // Only a bonus can put a row out of order.
  return bonus && bonus.mentor.length > 0 ? bestFirstRows(whole) : { ...whole, bestFirst: true };
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
  const { start, items: members } = bucketed(groupOf, first.length);
  return { groupOf, start, members };
}

const groupCount = (groups: AlikeGroups) => groups.start.length - 1;
/** Everyone a group of their own. */
const eachAlone = (people: number): AlikeGroups => {
  const ids = Int32Array.from({ length: people }, (_, p) => p);
  return { groupOf: ids, start: Int32Array.from({ length: people + 1 }, (_, p) => p), members: ids };
};
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

/** The mentees grouped, with the model their groups' rows are scored on, and whose preference is their own. */
interface MenteeGroups {
  groups: AlikeGroups;
  /** The model without the preferences that set no one apart (`withoutPreferences`). */
  plain: ScoringModel;
  /** Per mentee, the mentor it names as its own, or −1. */
  ownMentor: Int32Array;
  /** Per mentee, 1 where it names several mentors and is grouped all the same (both sides only). */
  several: Uint8Array;
}

/**
 * The mentees grouped: alike in everything their pairs' scores can see, topics in the same
 * order, and in their named pairs (the same mentors preferred, the same blocked): seven
 * beginners in ten asking for one of ten star mentors are eleven kinds of beginner, not 7,000.
 * One mentor preferred is a preference of one's own, which sets no one apart
 * (`OwnPreferences`), unless that mentor is contested: then those who name them are grouped
 * by it, as all named pairs are.
 */
function menteeGroupsOf(
  model: ScoringModel,
  pinnedMentor: Int32Array,
  places: Int32Array,
  limit: number,
): { forBothSides: MenteeGroups; forOneSide: MenteeGroups | undefined } | undefined {
  const { start, items } = model.preferred;
  const n = model.mentees.length;
  // A pinned mentee is a group of its own, and keeps its preferences.
  const named = (i: number) => ((pinnedMentor[i] ?? -1) < 0 ? (start[i + 1] ?? 0) - (start[i] ?? 0) : 0);
  const ownMentor = Int32Array.from({ length: n }, (_, i) =>
    named(i) === 1 ? (items[start[i] ?? 0] ?? 0) : -1,
  );
  const several = Uint8Array.from({ length: n }, (_, i) => (named(i) > 1 ? 1 : 0));
  const plain = withoutPreferences(model, (i) => named(i) > 0);
  const groups = groupsByKey(model, plain, pinnedMentor, limit);
  if (!groups) return undefined;
  const forBothSides = { groups, plain, ownMentor, several };
  const contested = contestedMentors(groups, ownMentor, places);
  if (!contested && !several.includes(1)) return { forBothSides, forOneSide: forBothSides };
  // The transport holds any number of entries to a mentor, and mentees naming several (its
  // feeders); the place rows do neither: on that side those mentees are grouped by whom they name.
  const uncontested = ownMentor.map((j) => (j >= 0 && contested?.[j] ? -1 : j));
  const plainOneSide = withoutPreferences(model, (i) => (uncontested[i] ?? -1) >= 0);
  const oneSide = groupsByKey(model, plainOneSide, pinnedMentor, limit);
  return {
    forBothSides,
    forOneSide: oneSide && {
      groups: oneSide,
      plain: plainOneSide,
      ownMentor: uncontested,
      several: new Uint8Array(n),
    },
  };
}

/**
 * Mentors named as their own by mentees of more than one group, more of them than the mentor
 * has places, or undefined when there are none. Their bonus places could not be ranges of
 * their places, one per group (`placeRows`): two groups' namers of a mentor of one place
 * would both need its first.
 */
function contestedMentors(
  groups: AlikeGroups,
  ownMentor: Int32Array,
  places: Int32Array,
): Uint8Array | undefined {
  const naming = new Int32Array(places.length);
  const firstGroup = new Int32Array(places.length).fill(-1);
  const manyGroups = new Uint8Array(places.length);
  ownMentor.forEach((j, i) => {
    if (j < 0) return;
    naming[j] = (naming[j] ?? 0) + 1;
    const g = groups.groupOf[i] ?? 0;
    if ((firstGroup[j] ?? -1) < 0) firstGroup[j] = g;
    else if (firstGroup[j] !== g) manyGroups[j] = 1;
  });
  let any = false;
  const contested = manyGroups.map((many, j) => {
    const is = many === 1 && (naming[j] ?? 0) > (places[j] ?? 0);
    any ||= is;
    return is ? 1 : 0;
  });
  return any ? contested : undefined;
}

/** The mentees grouped by what `plain`'s scores can see of them, and their named pairs. */
function groupsByKey(
  model: ScoringModel,
  plain: ScoringModel,
  pinnedMentor: Int32Array,
  limit: number,
): AlikeGroups | undefined {
  const years = model.menteeYears;
  const seen = seenOf(model, 'mentee');
  // A blocked pair's rule is only for explanations, which read each member's own: which
  // mentors are blocked is what the scores see.
  const { blocked, menteeTopics } = model;
  const { preferred } = plain;
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

/** The model without the preferences of the mentees `dropped`: what the mentees are grouped by. */
function withoutPreferences(model: ScoringModel, dropped: (i: number) => boolean): ScoringModel {
  const { start, items } = model.preferred;
  const n = start.length - 1;
  const kept = new Int32Array(start.length);
  for (let i = 0; i < n; i++) {
    kept[i + 1] = (kept[i] ?? 0) + (dropped(i) ? 0 : (start[i + 1] ?? 0) - (start[i] ?? 0));
  }
  if (kept[n] === items.length) return model;
  const keptItems = new Int32Array(kept[n] ?? 0);
  for (let i = 0; i < n; i++) {
    if (!dropped(i)) keptItems.set(items.subarray(start[i] ?? 0, start[i + 1] ?? 0), kept[i] ?? 0);
  }
  return { ...model, preferred: { start: kept, items: keptItems } };
}

/**
 * The own preference entries of mentee groups: per group and mentor named, the pair's score
 * with the bonus, where it beats the group's own score with that mentor (`groupTable`'s row
 * of the group, at the mentor's column, `columnOf`).
 */
function ownPreferencesOf(
  model: ScoringModel,
  { groups, ownMentor }: MenteeGroups,
  groupTable: ScoreTable,
  columnOf: (j: number) => number,
): OwnPreferences {
  const n = model.mentees.length;
  // The naming mentees by (group, mentor), in index order: a group's members are.
  const byPair = new Map<number, number[]>();
  const m = model.mentors.length;
  ownMentor.forEach((j, i) => {
    if (j < 0) return;
    const key = (groups.groupOf[i] ?? 0) * m + j;
    const naming = byPair.get(key);
    if (naming) naming.push(i);
    else byPair.set(key, [i]);
  });
  const named = [...byPair.values()].map((naming) => {
    const i = naming[0] ?? 0;
    const j = ownMentor[i] ?? 0;
    const tenths = evaluatePair(model, i, j, sharedTopicWeight(model, i, j), pairFlags(model, i, j));
    return { g: groups.groupOf[i] ?? 0, j, tenths, added: false, naming };
  });
  named.sort((a, b) => a.g - b.g || a.j - b.j);
  const scoresOf = rowScores(groupTable);
  const entries = named.flatMap((entry) => {
    const without = scoresOf(entry.g)[columnOf(entry.j)] ?? -1;
    return entry.tenths > without ? [{ ...entry, added: without < 0 }] : [];
  });
  const entryOf = new Int32Array(n).fill(-1);
  const memberStart = new Int32Array(entries.length + 1);
  entries.forEach((entry, e) => {
    memberStart[e + 1] = (memberStart[e] ?? 0) + entry.naming.length;
    for (const i of entry.naming) entryOf[i] = e;
  });
  return {
    group: Int32Array.from(entries, (entry) => entry.g),
    mentor: Int32Array.from(entries, (entry) => entry.j),
    tenths: Uint16Array.from(entries, (entry) => entry.tenths),
    added: Uint8Array.from(entries, (entry) => (entry.added ? 1 : 0)),
    start: memberStart,
    members: Int32Array.from(entries.flatMap((entry) => entry.naming)),
    entryOf,
  };
}

/**
 * Group g's row of `table` as a score per column (−1: not in the row). Rows are long and are
 * asked for group by group: each is read in once, and cleared when the next is asked for.
 */
function rowScores(table: ScoreTable): (g: number) => Int32Array {
  const scoreAt = new Int32Array(table.mentors).fill(-1);
  let read = -1;
  const score = new RowScoreReader(table);
  const put = (g: number, clear: boolean) => {
    score.row(g);
    for (let k = table.rowStart[g] ?? 0; k < (table.rowStart[g + 1] ?? 0); k++) {
      scoreAt[table.mentor[k] ?? 0] = clear ? -1 : score.at(k);
    }
  };
  return (g) => {
    if (g !== read) {
      if (read >= 0) put(read, true);
      put(g, false);
      read = g;
    }
    return scoreAt;
  };
}

/** Where row r of `table` has column c, or −1. */
function columnAt(table: ScoreTable, r: number, c: number): number {
  for (let k = table.rowStart[r] ?? 0; k < (table.rowStart[r + 1] ?? 0); k++)
    if (table.mentor[k] === c) return k;
  return -1;
}

/**
 * The mentors' rows of a turned table, each as many times as the mentor has places. A mentor
 * whom mentees of a group name as their own gives each such group a range of its places, as
 * many as name them (the entries of a mentor take their ranges in turn; `contestedMentors`
 * keeps them within its places, or to one), whose rows score the bonus with that group.
 */
function placeRows(
  byMentor: ScoreTable,
  capacity: Int32Array,
  own: OwnPreferences,
): { table: ScoreTable; placeMentor: Int32Array; placeBonus: Int32Array } {
  const placeMentor = Int32Array.from(
    Array.from(capacity, (c, j) => Array.from({ length: Math.max(0, c) }, () => j)).flat(),
  );
  const firstPlace = new Int32Array(capacity.length).fill(-1);
  placeMentor.forEach((j, p) => {
    if ((firstPlace[j] ?? -1) < 0) firstPlace[j] = p;
  });
  const placeBonus = new Int32Array(placeMentor.length).fill(-1);
  const taken = new Int32Array(capacity.length);
  own.mentor.forEach((j, e) => {
    const from = taken[j] ?? 0;
    const to = Math.min(from + entrySize(own, e), Math.max(0, capacity[j] ?? 0));
    for (let r = from; r < to; r++) placeBonus[(firstPlace[j] ?? 0) + r] = e;
    taken[j] = to;
  });
  const rowStart = new Int32Array(placeMentor.length + 1);
  placeMentor.forEach((j, p) => {
    const e = placeBonus[p] ?? -1;
    rowStart[p + 1] = (rowStart[p] ?? 0) + rowLength(byMentor, j) + (e >= 0 ? (own.added[e] ?? 0) : 0);
  });
  const mentor = mentorColumn(byMentor.mentors, rowStart[placeMentor.length] ?? 0);
  const score = new Uint16Array(mentor.length);
  const mentorScore = new RowScoreReader(byMentor);
  placeMentor.forEach((j, p) => {
    const from = byMentor.rowStart[j] ?? 0;
    const to = byMentor.rowStart[j + 1] ?? 0;
    const at = rowStart[p] ?? 0;
    mentor.set(byMentor.mentor.subarray(from, to), at);
    mentorScore.row(j);
    for (let k = from; k < to; k++) score[at + k - from] = mentorScore.at(k);
    const e = placeBonus[p] ?? -1;
    if (e < 0) return;
    const g = own.group[e] ?? 0;
    const k = own.added[e] ? at + (to - from) : at + columnAt(byMentor, j, g) - from;
    mentor[k] = g;
    score[k] = own.tenths[e] ?? 0;
  });
  const table = tableOfScores({
    mentees: placeMentor.length,
    mentors: byMentor.mentors,
    rowStart,
    mentor,
    score,
  });
  return { table, placeMentor, placeBonus };
}
