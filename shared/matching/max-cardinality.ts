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
 * eligible) had its first search, bound to fail, read nearly every pair.
 */
export function maximumCardinality(
  table: ScoreTable,
  capacity: Int32Array,
  skip: Uint8Array,
): CardinalityStructure {
  const n = table.mentees;
  const m = table.mentors;
  const { rowStart, mentor } = table;
  const mentorOf = new Int32Array(n).fill(-1);
  const rowsOf: number[][] = Array.from({ length: m }, () => []);
  const hasRoom = (j: number) => (rowsOf[j]?.length ?? 0) < (capacity[j] ?? 0);

  // Rows come best score first (the solver's tables do): a mentee's first mentor with room is
  // its best, and the rest of its row need not be read.
  for (let i = 0; i < n; i++) {
    if (skip[i]) continue;
    for (let k = rowStart[i] ?? 0, end = rowStart[i + 1] ?? 0; k < end; k++) {
      const j = mentor[k] ?? 0;
      if (hasRoom(j)) {
        mentorOf[i] = j;
        rowsOf[j]?.push(i);
        break;
      }
    }
  }

  // Places still free: each augmenting path fills one, and ends at one.
  let room = 0;
  for (let j = 0; j < m; j++) room += Math.max(0, (capacity[j] ?? 0) - (rowsOf[j]?.length ?? 0));
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
  for (let s = 0; s < n && room > 0; s++) {
    if (skip[s] || mentorOf[s] !== -1) continue;
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
      for (let k = rowStart[row] ?? 0, end = rowStart[row + 1] ?? 0; k < end && found < 0; k++) {
        const j = mentor[k] ?? 0;
        if (!dead[j] && seenAt[j] !== stamp) reach(j, row);
      }
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
    let j = found;
    for (;;) {
      const row = parentRow[j] ?? 0;
      const from = mentorOf[row] ?? -1;
      mentorOf[row] = j;
      rowsOf[j]?.push(row);
      if (from < 0) break;
      const list = rowsOf[from] ?? [];
      list.splice(list.indexOf(row), 1);
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
