import type { ScoreTable } from './scoring.ts';

/**
 * A matching with as many mentees as possible over all eligible pairs, scores aside. The
 * solver adds each mentee's mentor from it to the candidates, so the candidate graph can
 * always match as many mentees as the full problem: otherwise mentees left unmatched only
 * because of the restriction would price whole regions of the graph out, and almost every
 * certificate check would fail.
 *
 * Greedy first (each mentee takes its best-scoring mentor with a free place), then one
 * breadth-first augmenting path per mentee still free. A search that fails proves that the
 * mentors it reached are full and lead only to full mentors; no later augmentation can change
 * that, so they are skipped from then on.
 */
export function maximumCardinality(table: ScoreTable, capacity: Int32Array, skip: Uint8Array): Int32Array {
  const n = table.mentees;
  const m = table.mentors;
  const { rowStart, mentor, score } = table;
  const mentorOf = new Int32Array(n).fill(-1);
  const rowsOf: number[][] = Array.from({ length: m }, () => []);
  const hasRoom = (j: number) => (rowsOf[j]?.length ?? 0) < (capacity[j] ?? 0);

  for (let i = 0; i < n; i++) {
    if (skip[i]) continue;
    let best = -1;
    let bestScore = -1;
    for (let k = rowStart[i] ?? 0, end = rowStart[i + 1] ?? 0; k < end; k++) {
      const j = mentor[k] ?? 0;
      if ((score[k] ?? 0) > bestScore && hasRoom(j)) {
        best = j;
        bestScore = score[k] ?? 0;
      }
    }
    if (best >= 0) {
      mentorOf[i] = best;
      rowsOf[best]?.push(i);
    }
  }

  const dead = new Uint8Array(m);
  const seenAt = new Int32Array(m);
  const parentRow = new Int32Array(m);
  const queue = new Int32Array(m);
  for (let s = 0; s < n; s++) {
    if (skip[s] || mentorOf[s] !== -1) continue;
    const stamp = s + 1;
    let head = 0;
    let tail = 0;
    let found = -1;
    const visit = (row: number) => {
      for (let k = rowStart[row] ?? 0, end = rowStart[row + 1] ?? 0; k < end && found < 0; k++) {
        const j = mentor[k] ?? 0;
        if (dead[j] || seenAt[j] === stamp) continue;
        seenAt[j] = stamp;
        parentRow[j] = row;
        if (hasRoom(j)) found = j;
        else queue[tail++] = j;
      }
    };
    visit(s);
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
  return mentorOf;
}
