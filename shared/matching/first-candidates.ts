import { EntryList, entryList } from './candidate-lists.ts';
import { sharedCursor, takeInTurns } from './claims.ts';
import { RowScoreReader, rowLength, type ScoreTable } from './pair-scores.ts';
import { entryBase } from './row-scans.ts';
import type { SolveHelper } from './solve-helper.ts';

/**
 * The solver's first candidates (solver.ts): each mentee's `perRow` best-scoring mentors (ties:
 * lower index); as many more among the mentors that few mentees list, because when everyone
 * lists the same popular mentors most mentees end up elsewhere; and its mentor in a maximum
 * matching. A mentee given no list (skipped, or contested: its candidates are its whole row of
 * the table) gets an empty one.
 *
 * Each row's list depends on the row and on how many first lists name each mentor, counted
 * first: with a helper thread (solve-helper.ts), both threads take claims of rows (claims.ts)
 * and the lists come out as one thread makes them.
 */

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

/** What every row's search reads besides the table. */
export interface FirstSearch {
  perRow: number;
  /** Per mentee, 1 when it gets no list. */
  none: Uint8Array;
  /** Per mentee, its mentor in a maximum matching, or −1. */
  seed: Int32Array;
  /** Per mentor, how many mentees' first `perRow` pairs name it. */
  listed: Int32Array;
}

/** Where a thread puts row i's list: `list` is scratch space, overwritten by the next row. */
export type TakeList = (i: number, list: EntryList) => void;

/** Rows a thread takes at a time when the search is shared. */
export const firstClaimRows = 16;

/**
 * Every mentee's first candidate list: on this thread, or with the helper taking part where it
 * shares the table, in claims of `claim` rows.
 */
export function firstCandidates(
  table: ScoreTable,
  capacity: Int32Array,
  perRow: number,
  none: Uint8Array,
  seed: Int32Array,
  helper?: SolveHelper,
  claim = firstClaimRows,
): EntryList[] {
  const search: FirstSearch = { perRow, none, seed, listed: listedFirst(table, perRow, none) };
  const cursor = helper?.sharesTable ? sharedCursor() : undefined;
  const theirs = cursor && helper?.start({ kind: 'first', ...search, cursor, claim });
  const lists: EntryList[] = new Array(table.mentees);
  const take: TakeList = (i, list) => {
    lists[i] = list.copy();
  };
  firstCandidatesOf(table, capacity, search, take, cursor, claim);
  if (theirs) {
    const { done, listStart, listItems } = theirs();
    done.forEach((i, d) => {
      const from = listStart[d] ?? 0;
      const to = listStart[d + 1] ?? 0;
      lists[i] = new EntryList(listItems.slice(from, to), to - from);
    });
  }
  for (let i = 0; i < table.mentees; i++) lists[i] ??= entryList(table.mentors, 0);
  return lists;
}

/** How many mentees' first `perRow` pairs name each mentor. */
function listedFirst(table: ScoreTable, perRow: number, none: Uint8Array): Int32Array {
  const { mentees: n, mentors: m, rowStart, mentor } = table;
  const listed = new Int32Array(m);
  for (let i = 0; i < n; i++) {
    if (none[i]) continue;
    for (let k = rowStart[i] ?? 0, end = k + Math.min(perRow, rowLength(table, i)); k < end; k++) {
      const j = mentor[k] ?? 0;
      listed[j] = (listed[j] ?? 0) + 1;
    }
  }
  return listed;
}

/**
 * The lists of the rows this thread claims from `cursor` in claims of `claim` (every row
 * without one), each handed to `take` as it is made, rows given none passed over.
 */
export function firstCandidatesOf(
  table: ScoreTable,
  capacity: Int32Array,
  { perRow, none, seed, listed }: FirstSearch,
  take: TakeList,
  cursor?: Int32Array,
  claim = table.mentees,
): void {
  const { mentees: n, mentors: m, rowStart, mentor } = table;
  const score = new RowScoreReader(table);
  const open = (j: number) => (listed[j] ?? 0) <= listsPerPlace * (capacity[j] ?? 0);
  // Each list is put together here and handed over: no list is left with room to spare.
  const list = entryList(m, 2 * perRow + 1);
  takeInTurns(cursor, n, claim, (from, to) => {
    for (let i = from; i < to; i++) {
      if (none[i]) continue;
      list.length = 0;
      score.row(i);
      // The row's first pairs (rows come best first), then mentors few list among the pairs after them.
      const j = seed[i] ?? -1;
      let seedListed = false;
      let k = rowStart[i] ?? 0;
      for (const first = k + Math.min(perRow, rowLength(table, i)); k < first; k++) {
        list.push((mentor[k] ?? 0) * entryBase + score.at(k));
        if (mentor[k] === j) seedListed = true;
      }
      const end = rowStart[i + 1] ?? 0;
      const stop = Math.min(end, k + openSearchPairs);
      for (let added = 0; k < stop && added < perRow; k++) {
        const other = mentor[k] ?? 0;
        if (!open(other) && other !== j) continue;
        list.push(other * entryBase + score.at(k));
        added++;
        if (other === j) seedListed = true;
      }
      for (; j >= 0 && !seedListed && k < end; k++) {
        if (mentor[k] !== j) continue;
        list.push(j * entryBase + score.at(k));
        seedListed = true;
      }
      take(i, list);
    }
    return true;
  });
}
