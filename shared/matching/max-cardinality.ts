import type { ScoreTable } from './pair-scores.ts';

export interface CardinalityStructure {
  /** A mentor per mentee in one maximum-cardinality matching, −1 when unmatched. */
  mentorOf: Int32Array;
  /**
   * Mentees some maximum matching leaves unmatched, marked 1: those reachable by alternating
   * paths from an unmatched mentee. Every mentor they can reach is full in every maximum
   * matching, so the optimal prices of this whole region are set by who is left out.
   */
  contested: Uint8Array;
  /**
   * Mentors a contested mentee can reach, marked 1: full in every maximum matching, and only
   * with contested mentees (Dulmage–Mendelsohn), so no other mentee ever takes their places.
   */
  full: Uint8Array;
}

/**
 * A matching with as many mentees as possible over all eligible pairs, scores aside, and the
 * region where being left unmatched is decided. The solver adds each mentee's mentor from the
 * matching to its candidates, so the candidate graph can match as many mentees as the full
 * problem, and gives contested mentees all their pairs: the proof of optimality needs the
 * whole region, and finding it one widening round at a time would take many rounds.
 *
 * Greedy first (each mentee takes its best-scoring mentor with a free place, the first in its
 * row: rows come best first; in a table that does not, the first all the same), then one
 * breadth-first augmenting path per mentee still free. The search ends as soon as it reaches a
 * mentor whose mentee has a mentor with room (a per-mentee pointer answers that, read once
 * over all searches), so only the mentees of the levels before are read in full: on
 * contention-50k 2.5 billion pair reads (10.4 s) became 0.3 s. A search that fails proves
 * that the mentors it reached are full and lead only to full mentors; no later augmentation
 * can change that, so they are skipped from then on. Once every place is taken no path can
 * end anywhere, and the searches stop: a bootcamp a few mentors short (nearly every pair
 * eligible) had its first search, bound to fail, read nearly every pair. Searches that have read
 * `searchPairsPerPair` times the table's pairs hand the mentees still free to Hopcroft and
 * Karp's phases (`augmentInPhases`), which read the pairs a few times however many are free.
 */
export function maximumCardinality(
  table: ScoreTable,
  capacity: Int32Array,
  skip: Uint8Array,
  /** Pairs the one-by-one searches may read before phases take the mentees still free (default `searchPairsPerPair` × the table's pairs). */
  searchBudget = searchPairsPerPair * table.mentor.length,
): CardinalityStructure {
  const n = table.mentees;
  const m = table.mentors;
  const { rowStart, mentor } = table;
  const mentorOf = new Int32Array(n).fill(-1);
  const rowsOf: number[][] = Array.from({ length: m }, () => []);
  // Each mentor's mentees counted apart from its list: the searches ask for room far more often
  // than they move anyone, and a count in one typed array is read without reaching the list.
  const held = new Int32Array(m);
  const hasRoom = (j: number) => (held[j] ?? 0) < (capacity[j] ?? 0);
  /** Mentee `row` moves to mentor j, leaving its mentor if it had one. */
  const moveTo = (row: number, j: number) => {
    const from = mentorOf[row] ?? -1;
    mentorOf[row] = j;
    rowsOf[j]?.push(row);
    held[j] = (held[j] ?? 0) + 1;
    if (from < 0) return;
    const list = rowsOf[from] ?? [];
    list.splice(list.indexOf(row), 1);
    held[from] = (held[from] ?? 0) - 1;
  };

  // Rows come best score first (the solver's tables do): a mentee's first mentor with room is
  // its best, and the rest of its row need not be read.
  for (let i = 0; i < n; i++) {
    if (skip[i]) continue;
    for (let k = rowStart[i] ?? 0, end = rowStart[i + 1] ?? 0; k < end; k++) {
      const j = mentor[k] ?? 0;
      if (hasRoom(j)) {
        moveTo(i, j);
        break;
      }
    }
  }

  // Places still free: each augmenting path fills one, and ends at one.
  let room = 0;
  for (let j = 0; j < m; j++) room += Math.max(0, (capacity[j] ?? 0) - (held[j] ?? 0));
  const dead = new Uint8Array(m);
  const seenAt = new Int32Array(m);
  const parentRow = new Int32Array(m);
  const queue = new Int32Array(m);
  // Per mentee, the arcs before this one lead only to full mentors. Augmenting never frees a
  // place, so it only moves forward: asking whether a mentee has a mentor with room costs its
  // arcs once over the whole search, not once per search.
  const lookAt = rowStart.slice(0, n);
  const mentorWithRoom = (row: number) => {
    let k = lookAt[row] ?? 0;
    const end = rowStart[row + 1] ?? 0;
    while (k < end && !hasRoom(mentor[k] ?? 0)) k++;
    lookAt[row] = k;
    return k < end ? (mentor[k] ?? 0) : -1;
  };
  let read = 0;
  for (let s = 0; s < n && room > 0; s++) {
    if (skip[s] || mentorOf[s] !== -1) continue;
    if (read >= searchBudget) {
      room = augmentInPhases(table, skip, { mentorOf, rowsOf, hasRoom, moveTo, dead }, room);
      break;
    }
    const stamp = s + 1;
    let head = 0;
    let tail = 0;
    let found = mentorWithRoom(s);
    if (found >= 0) parentRow[found] = s;
    // A full mentor reached: if one of its mentees has a mentor with room, the path ends there;
    // else the mentor waits in the queue for its mentees' arcs to be read.
    const reach = (j: number, row: number) => {
      seenAt[j] = stamp;
      parentRow[j] = row;
      for (const held of rowsOf[j] ?? []) {
        const room = mentorWithRoom(held);
        if (room >= 0) {
          parentRow[room] = held;
          found = room;
          return;
        }
      }
      queue[tail++] = j;
    };
    const visit = (row: number) => {
      const start = rowStart[row] ?? 0;
      let k = start;
      for (const end = rowStart[row + 1] ?? 0; k < end && found < 0; k++) {
        const j = mentor[k] ?? 0;
        if (!dead[j] && seenAt[j] !== stamp) reach(j, row);
      }
      read += k - start;
    };
    if (found < 0) visit(s);
    while (found < 0 && head < tail) {
      for (const row of rowsOf[queue[head++] ?? 0] ?? []) {
        visit(row);
        if (found >= 0) break;
      }
    }
    if (found < 0) {
      for (let q = 0; q < tail; q++) dead[queue[q] ?? 0] = 1;
      continue;
    }
    // Shift along the path: each mentee moves to the mentor that reached it.
    room--;
    for (let j = found; j >= 0; ) {
      const row = parentRow[j] ?? 0;
      const from = mentorOf[row] ?? -1;
      moveTo(row, j);
      j = from;
    }
  }

  // The contested region: alternating paths from every unmatched mentee.
  const contested = new Uint8Array(n);
  const seen = new Uint8Array(m);
  const rows: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!skip[i] && mentorOf[i] === -1 && rowStart[i + 1] !== rowStart[i]) {
      contested[i] = 1;
      rows.push(i);
    }
  }
  while (rows.length > 0) {
    const row = rows.pop() ?? 0;
    for (let k = rowStart[row] ?? 0, end = rowStart[row + 1] ?? 0; k < end; k++) {
      const j = mentor[k] ?? 0;
      if (seen[j]) continue;
      seen[j] = 1;
      for (const next of rowsOf[j] ?? []) {
        if (!contested[next]) {
          contested[next] = 1;
          rows.push(next);
        }
      }
    }
  }
  return { mentorOf, contested, full: seen };
}

/**
 * Pairs the one-by-one searches may read, per pair of the table, before the mentees still free
 * are placed in phases (`augmentInPhases`). On the bench's cohorts the searches read at most
 * 0.7 of the pairs, so they never get there. Where eligibility is sparse and the greedy start
 * leaves thousands free with the places left at mentors few can reach, each search crosses
 * much of the graph before it ends: a one-to-one cohort of 10,000 with a minimum score of 75
 * read 625 million pairs in 2,158 searches (3.1 s), one of 20,000 read 3.6 billion (31 s).
 */
const searchPairsPerPair = 2;

/** The matching as `maximumCardinality` builds it, for `augmentInPhases` to go on with. */
interface MatchingState {
  mentorOf: Int32Array;
  rowsOf: number[][];
  hasRoom: (j: number) => boolean;
  moveTo: (row: number, j: number) => void;
  /** Mentors a failed search proved lead only to full mentors. */
  dead: Uint8Array;
}

/**
 * Places the mentees still free by Hopcroft and Karp's phases: each phase finds the shortest
 * augmenting paths of every free mentee at once, by one breadth-first search from all of
 * them over the pairs (mentees at even levels, the mentors they reach at odd ones, down to the
 * first level that reaches a mentor with room), then a depth-first search from each free
 * mentee along those levels, each mentee on at most one path; a mentee from which no path
 * goes on is left for the rest of the phase. A phase reads each pair about twice, however
 * many mentees are free, and its paths are as short as the one-by-one searches' would be, so
 * the greedy start's choices move as little. Returns the places still free.
 */
function augmentInPhases(
  table: ScoreTable,
  skip: Uint8Array,
  { mentorOf, rowsOf, hasRoom, moveTo, dead }: MatchingState,
  room: number,
): number {
  const n = table.mentees;
  const { rowStart, mentor } = table;
  const level = new Int32Array(n);
  const mentorLevel = new Int32Array(table.mentors);
  /** Per mentee, the next pair its depth-first search reads in this phase. */
  const arc = new Int32Array(n);
  /** The breadth-first queue, then each depth-first search's path of mentees. */
  const rows = new Int32Array(n);
  /** On a path, the mentor through which the mentee after this one was reached. */
  const via = new Int32Array(n);
  while (room > 0) {
    level.fill(-1);
    mentorLevel.fill(-1);
    let tail = 0;
    for (let i = 0; i < n; i++) {
      if (skip[i] || mentorOf[i] !== -1) continue;
      level[i] = 0;
      rows[tail++] = i;
    }
    const free = tail;
    // The level of the mentees whose pairs reach a mentor with room: the paths' last mentees.
    let last = Number.POSITIVE_INFINITY;
    for (let head = 0; head < tail; head++) {
      const row = rows[head] ?? 0;
      const d = level[row] ?? 0;
      if (d > last) break;
      for (let k = rowStart[row] ?? 0, end = rowStart[row + 1] ?? 0; k < end; k++) {
        const j = mentor[k] ?? 0;
        if (dead[j] || mentorLevel[j] !== -1) continue;
        if (hasRoom(j)) {
          last = d;
          continue;
        }
        mentorLevel[j] = d + 1;
        if (d >= last) continue;
        for (const held of rowsOf[j] ?? []) {
          if (level[held] !== -1) continue;
          level[held] = d + 2;
          rows[tail++] = held;
        }
      }
    }
    if (last === Number.POSITIVE_INFINITY) break;
    for (let x = 0; x < tail; x++) {
      const row = rows[x] ?? 0;
      arc[row] = rowStart[row] ?? 0;
    }
    // The free mentees were the queue's first: keep them before the paths overwrite it.
    const starts = rows.slice(0, free);
    const roomBefore = room;
    for (const start of starts) {
      if (room === 0) break;
      let depth = 0;
      rows[0] = start;
      let placed = -1;
      while (depth >= 0 && placed < 0) {
        const row = rows[depth] ?? 0;
        const d = level[row] ?? 0;
        let next = -1;
        for (const end = rowStart[row + 1] ?? 0; (arc[row] ?? 0) < end; arc[row] = (arc[row] ?? 0) + 1) {
          const j = mentor[arc[row] ?? 0] ?? 0;
          if (dead[j]) continue;
          if (hasRoom(j)) {
            placed = j;
            break;
          }
          if (mentorLevel[j] !== d + 1 || d + 2 > last) continue;
          next = (rowsOf[j] ?? []).find((held) => level[held] === d + 2) ?? -1;
          if (next >= 0) {
            via[depth] = j;
            break;
          }
        }
        if (placed >= 0) break;
        if (next >= 0) {
          rows[++depth] = next;
          continue;
        }
        // No path goes on from this mentee in this phase.
        level[row] = -1;
        depth--;
      }
      if (placed < 0) continue;
      // The path's last mentee takes the place; each one before it takes the place of the next.
      moveTo(rows[depth] ?? 0, placed);
      level[rows[depth] ?? 0] = -1;
      for (let t = depth - 1; t >= 0; t--) {
        moveTo(rows[t] ?? 0, via[t] ?? 0);
        level[rows[t] ?? 0] = -1;
      }
      room--;
    }
    // The breadth-first search found a path, so the depth-first searches must take one.
    if (room === roomBefore) throw new Error('matching: a phase of augmenting paths placed no mentee');
  }
  return room;
}
