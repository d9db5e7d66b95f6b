import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { defaultMatchingProgram } from '../shared/matching/matching-program.ts';
import { prepareMatching, solvePrepared } from '../shared/matching/run-matching.ts';
import { type CohortKind, syntheticCohort } from './synthetic-cohort.ts';

/**
 * `npm run bench:match`: the whole match (scoring + exact solve) on synthetic cohorts of
 * 1,000 × 350, 5,000 × 1,700 and 10,000 × 3,400 people (mentors take 3 mentees), uniform and
 * contended. Each case runs in its own process so its peak memory is its own. Prints figures;
 * asserts nothing (timings depend on the machine and on what else runs on it).
 */
const sizes: [number, number][] = [
  [1000, 350],
  [5000, 1700],
  [10000, 3400],
];
const kinds: CohortKind[] = ['uniform', 'contention'];
const targetSeconds = 5;
const targetMegabytes = 600;

interface CaseFigures {
  kind: CohortKind;
  mentees: number;
  mentors: number;
  scoringSeconds: number;
  solvingSeconds: number;
  scoringPeakMb: number;
  peakMb: number;
  eligiblePairs: number;
  candidatePairs: number;
  rounds: number;
  matched: number;
  totalScore: number;
  optimal: boolean;
}

const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

function runCase(kind: CohortKind, mentees: number, mentors: number): CaseFigures {
  const cohort = syntheticCohort(kind, mentees, mentors);
  const applications = [...cohort.mentees, ...cohort.mentors];
  const program = defaultMatchingProgram('2027-02-01');
  const started = performance.now();
  const prepared = prepareMatching(applications, program);
  const scored = performance.now();
  const scoringPeakMb = peakMb();
  const result = solvePrepared(prepared);
  const solved = performance.now();
  return {
    kind,
    mentees,
    mentors,
    scoringSeconds: (scored - started) / 1000,
    // Solving includes writing every pair's explanation.
    solvingSeconds: (solved - scored) / 1000,
    scoringPeakMb,
    peakMb: peakMb(),
    eligiblePairs: result.summary.eligiblePairs,
    candidatePairs: result.summary.candidatePairs,
    rounds: result.summary.solverRounds,
    matched: result.summary.matched,
    totalScore: result.summary.totalScore,
    optimal: result.summary.optimal,
  };
}

const [, , flag, kind, mentees, mentors] = process.argv;
if (flag === '--case') {
  console.log(JSON.stringify(runCase(kind as CohortKind, Number(mentees), Number(mentors))));
} else {
  console.log('Matching benchmark: scoring + exact solve, one process per case');
  console.log(
    'kind        mentees × mentors   scoring s  solving s  total s  peak MB  eligible pairs  candidates  rounds  matched  total score  optimal',
  );
  let met = true;
  for (const [n, m] of sizes) {
    for (const k of kinds) {
      const output = execFileSync(
        process.execPath,
        [import.meta.filename, '--case', k, String(n), String(m)],
        {
          encoding: 'utf8',
          maxBuffer: 1 << 20,
        },
      );
      const f = JSON.parse(output) as CaseFigures;
      const total = f.scoringSeconds + f.solvingSeconds;
      if (n === 10000 && (total >= targetSeconds || f.peakMb >= targetMegabytes || !f.optimal)) met = false;
      console.log(
        [
          f.kind.padEnd(11),
          `${f.mentees} × ${f.mentors}`.padEnd(18),
          f.scoringSeconds.toFixed(2).padStart(9),
          f.solvingSeconds.toFixed(2).padStart(10),
          total.toFixed(2).padStart(8),
          String(f.peakMb).padStart(8),
          String(f.eligiblePairs).padStart(15),
          String(f.candidatePairs).padStart(11),
          String(f.rounds).padStart(7),
          String(f.matched).padStart(8),
          f.totalScore.toFixed(1).padStart(12),
          (f.optimal ? 'proven' : 'NO').padStart(8),
        ].join(' '),
      );
    }
  }
  console.log(
    `Target for 10,000 × 3,400: whole match under ${targetSeconds} s and ${targetMegabytes} MB on both kinds — ${met ? 'met' : 'NOT met'}`,
  );
}
