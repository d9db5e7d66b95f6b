import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { applicationsCsv } from '../shared/applications/applications-csv.ts';
import { prepareMatching, solvePrepared } from '../shared/matching/run-matching.ts';
import { scoreInParallel } from '../shared/matching/score-in-parallel.ts';
import { startSolveHelper } from '../shared/matching/solve-helper.ts';
import { parseProgram } from '../shared/program/load-program.ts';
import { type CohortKind, syntheticCohort } from './synthetic-cohort.ts';

/**
 * `npm run bench:match`: the whole match (scoring + exact solve; the default program unless a
 * case sets its matching) on synthetic cohorts of the shapes real programs have. Each case runs
 * in its own process so its peak memory is its own. Prints figures; asserts nothing (timings
 * depend on the machine and on what else runs on it).
 *
 *   node bench/match.ts                  every 10,000-mentee case
 *   BENCH_50K=1 node bench/match.ts      also the 50,000-mentee cases (a minute or more each)
 *   node bench/match.ts --case NAME      one case
 *   BENCH_SEED=N node bench/match.ts     other cohorts of the same shapes (default seed 2027)
 *   BENCH_RUNS=N node bench/match.ts     each case N times, the figures their medians (default 1):
 *                                        one run of a case spreads by a tenth on this machine
 *   node bench/match.ts --cli [NAME]     `tandem match` end to end, as organizers run it: the
 *                                        cohort written as an intake CSV, then the command's
 *                                        whole process (start, reading, matching, writing)
 */
interface BenchCase {
  name: string;
  kind: CohortKind;
  mentees: number;
  mentors: number;
  /** Places per mentor, or mentor j's places at entry j (modulo the list's length). */
  capacity: number | readonly number[];
  /** The program's matching settings where they are not the defaults. */
  matching?: { objective?: 'quality'; minScore?: number };
  /** The share of mentees no mentor can take (`syntheticCohort`'s `unplaceable`). */
  unplaceable?: number;
  /** The 50,000-mentee cases run only with BENCH_50K=1. */
  large?: true;
}

/** The places of a `network` cohort's mentors, 1 to 4 as such mentors offer them: 2.1 on average. */
const networkPlaces = [1, 2, 2, 3, 1, 2, 4, 1, 2, 3];

const cases: BenchCase[] = [
  { name: 'uniform-10k', kind: 'uniform', mentees: 10000, mentors: 3400, capacity: 3 },
  { name: 'contention-10k', kind: 'contention', mentees: 10000, mentors: 3400, capacity: 3 },
  // Mentor places at 60% and 90% of the mentees: thousands must stay unmatched.
  { name: 'shortage-60', kind: 'contention', mentees: 10000, mentors: 2000, capacity: 3 },
  { name: 'shortage-90', kind: 'contention', mentees: 10000, mentors: 3000, capacity: 3 },
  // Places for 99%: a hundred mentees left out, the rest as contended as a balanced cohort.
  { name: 'shortage-99', kind: 'contention', mentees: 10000, mentors: 3300, capacity: 3 },
  // Twice as many places as mentees.
  { name: 'surplus-200', kind: 'contention', mentees: 10000, mentors: 6667, capacity: 3 },
  { name: 'one-to-one', kind: 'contention', mentees: 10000, mentors: 10000, capacity: 1 },
  // One place per mentor, and mentors for 150% of the mentees: a network with more volunteers than
  // mentees; at 170%, the slowest 10,000-mentee shape found (just under where shortest paths take over).
  { name: 'one-to-one-surplus-150', kind: 'contention', mentees: 10000, mentors: 15000, capacity: 1 },
  { name: 'one-to-one-surplus-170', kind: 'contention', mentees: 10000, mentors: 17000, capacity: 1 },
  // One place per mentor, and places for 90%: a one-to-one program whose mentors run out.
  { name: 'one-to-one-shortage-90', kind: 'contention', mentees: 10000, mentors: 9000, capacity: 1 },
  // Places for 99%: the one-to-one program whose mentors run a few short, the slowest 10,000-mentee shape found.
  { name: 'one-to-one-shortage-99', kind: 'contention', mentees: 10000, mentors: 9900, capacity: 1 },
  // `one-to-one-surplus-170`'s shape, and one mentee in 200 speaks only a language no mentor
  // speaks: nobody else is short of a place, yet counted as left out they once sent the cohort
  // the way of a shortage (from the mentors' side: 5.25 s against 3.63).
  {
    name: 'one-to-one-unplaceable',
    kind: 'contention',
    mentees: 10000,
    mentors: 17000,
    capacity: 1,
    unplaceable: 0.005,
  },
  { name: 'stars', kind: 'stars', mentees: 10000, mentors: 3400, capacity: 3 },
  // Two places each, the programs' default, and mentors of one or two places (1.5 each).
  { name: 'two-places', kind: 'contention', mentees: 10000, mentors: 5000, capacity: 2 },
  { name: 'mixed-places', kind: 'contention', mentees: 10000, mentors: 6700, capacity: [1, 2] },
  // The programs' default, and mentors of one or two places, with places for 99%: a few mentors short.
  { name: 'two-places-shortage-99', kind: 'contention', mentees: 10000, mentors: 4950, capacity: 2 },
  { name: 'mixed-places-shortage-99', kind: 'contention', mentees: 10000, mentors: 6600, capacity: [1, 2] },
  // A bootcamp: beginners and mentors years ahead who all name its broad topic, so nearly every pair is eligible.
  { name: 'bootcamp', kind: 'bootcamp', mentees: 10000, mentors: 3400, capacity: 3 },
  { name: 'bootcamp-one-to-one', kind: 'bootcamp', mentees: 10000, mentors: 10000, capacity: 1 },
  // The bootcamp with the programs' default two places, a few mentors short.
  { name: 'bootcamp-shortage-99', kind: 'bootcamp', mentees: 10000, mentors: 4950, capacity: 2 },
  // One place each and a minimum score of 75, so each mentee has about 300 eligible mentors: the
  // greedy start leaves 2,000 free, and the places left are at mentors few can reach.
  {
    name: 'one-to-one-sparse',
    kind: 'contention',
    mentees: 10000,
    mentors: 10000,
    capacity: 1,
    matching: { minScore: 75 },
  },
  // The organizer's other objective, the largest total score, whose cost units are a tenth of a
  // point over the mentees + 1: counted in those units, the solver once took 59 s and 97 s on
  // the first and the last of these.
  {
    name: 'contention-10k-quality',
    kind: 'contention',
    mentees: 10000,
    mentors: 3400,
    capacity: 3,
    matching: { objective: 'quality' },
  },
  {
    name: 'one-to-one-quality',
    kind: 'contention',
    mentees: 10000,
    mentors: 10000,
    capacity: 1,
    matching: { objective: 'quality' },
  },
  {
    name: 'mixed-places-quality',
    kind: 'contention',
    mentees: 10000,
    mentors: 6700,
    capacity: [1, 2],
    matching: { objective: 'quality' },
  },
  // `quality` where mentors run a few short: the contested mentees once had every pair of theirs
  // among the candidates (4.5 s and 4.2 s, 729 MB).
  {
    name: 'one-to-one-shortage-99-quality',
    kind: 'contention',
    mentees: 10000,
    mentors: 9900,
    capacity: 1,
    matching: { objective: 'quality' },
  },
  {
    name: 'bootcamp-shortage-99-quality',
    kind: 'bootcamp',
    mentees: 10000,
    mentors: 4950,
    capacity: 2,
    matching: { objective: 'quality' },
  },
  // A program whose form asked little: thousands of people exactly alike, every pair's score one
  // of a handful (alike-people.ts). Mentees alike, mentors' applications all different, one place
  // each for 100% and 170% (27.5 s and 32.4 s before people alike were grouped); everyone alike,
  // three places for 90% and two for 100% (3.7 s and 8.7 s).
  { name: 'short-form-one-to-one', kind: 'short-form-mentees', mentees: 10000, mentors: 10000, capacity: 1 },
  { name: 'short-form-surplus-170', kind: 'short-form-mentees', mentees: 10000, mentors: 17000, capacity: 1 },
  // Seven of those mentees in ten ask for one of ten stars: 30.3 s at `88de510`, before people
  // alike were grouped.
  { name: 'short-form-stars', kind: 'short-form-stars', mentees: 10000, mentors: 10000, capacity: 1 },
  // Three in ten name a mentor of their own, any of them: 5.8 s at `9ceca97`, each such mentee a
  // group of their own.
  { name: 'short-form-own', kind: 'short-form-own', mentees: 10000, mentors: 10000, capacity: 1 },
  { name: 'short-form-shortage-90', kind: 'short-form', mentees: 10000, mentors: 3000, capacity: 3 },
  { name: 'short-form-two-places', kind: 'short-form', mentees: 10000, mentors: 5000, capacity: 2 },
  // A professional network's open call (synthetic-cohort.ts, `network`), drawn apart from the kinds
  // above: real topic names, long-tailed popularity, mentors of 1–4 places (2.1 on average).
  // Places for 60%, 90%, 100% and 200% of the mentees, and one place each for 90%, 100%, 150%.
  { name: 'network-shortage-60', kind: 'network', mentees: 10000, mentors: 2857, capacity: networkPlaces },
  { name: 'network-shortage-90', kind: 'network', mentees: 10000, mentors: 4286, capacity: networkPlaces },
  { name: 'network', kind: 'network', mentees: 10000, mentors: 4762, capacity: networkPlaces },
  { name: 'network-surplus-200', kind: 'network', mentees: 10000, mentors: 9524, capacity: networkPlaces },
  { name: 'network-one-to-one-shortage-90', kind: 'network', mentees: 10000, mentors: 9000, capacity: 1 },
  { name: 'network-one-to-one', kind: 'network', mentees: 10000, mentors: 10000, capacity: 1 },
  { name: 'network-one-to-one-surplus-150', kind: 'network', mentees: 10000, mentors: 15000, capacity: 1 },
  { name: 'uniform-50k', kind: 'uniform', mentees: 50000, mentors: 17000, capacity: 3, large: true },
  // The issue's 50,000 × 17,000 as a professional network's open call: places for 71%, and a third
  // of the 850 million pairs eligible (312 million), whose scoring takes two thirds as long as the solve.
  {
    name: 'network-50k',
    kind: 'network',
    mentees: 50000,
    mentors: 17000,
    capacity: networkPlaces,
    large: true,
  },
  { name: 'contention-50k', kind: 'contention', mentees: 50000, mentors: 17000, capacity: 3, large: true },
  { name: 'two-places-50k', kind: 'contention', mentees: 50000, mentors: 25000, capacity: 2, large: true },
  // Places for 99% at 50,000: the contested region dense enough to be solved whole, exits priced moderately.
  { name: 'shortage-50k', kind: 'contention', mentees: 50000, mentors: 16500, capacity: 3, large: true },
  // The 10,000-mentee shortages at 50,000: places for 60% and 90%, and the issue's 17,000 mentors
  // with one or two places each (34% and 68%). Thousands stay out; each took 18–54 s before the
  // sink found the exits to hand back without reading every mentee.
  { name: 'shortage-60-50k', kind: 'contention', mentees: 50000, mentors: 10000, capacity: 3, large: true },
  { name: 'shortage-90-50k', kind: 'contention', mentees: 50000, mentors: 15000, capacity: 3, large: true },
  { name: 'one-place-50k', kind: 'contention', mentees: 50000, mentors: 17000, capacity: 1, large: true },
  {
    name: 'two-places-shortage-50k',
    kind: 'contention',
    mentees: 50000,
    mentors: 17000,
    capacity: 2,
    large: true,
  },
  {
    name: 'short-form-50k',
    kind: 'short-form-mentees',
    mentees: 50000,
    mentors: 17000,
    capacity: 3,
    large: true,
  },
  // 91 s and 3.8 GiB at `9ceca97`.
  {
    name: 'short-form-own-50k',
    kind: 'short-form-own',
    mentees: 50000,
    mentors: 17000,
    capacity: 3,
    large: true,
  },
];

/** Targets on the project's 2-core machine, quiet: end to end, and peak memory. */
const target = (c: BenchCase) =>
  c.large ? { seconds: 20, megabytes: 2048 } : { seconds: 3, megabytes: 600 };

interface CaseFigures {
  name: string;
  mentees: number;
  mentors: number;
  capacity: number | readonly number[];
  scoringSeconds: number;
  solvingSeconds: number;
  /** CPU seconds of the whole case (user + system): the machine may be shared. */
  cpuSeconds: number;
  peakMb: number;
  eligiblePairs: number;
  candidatePairs: number;
  rounds: number;
  matched: number;
  totalScore: number;
  optimal: boolean;
  solvedBy: string;
}

/** The solver's way, and the side whose people alike were grouped, if any. */
const solvedByLabel = (solvedBy: string, alike?: { side: string; groups: number }) =>
  alike ? `${solvedBy}, ${alike.side} alike in ${alike.groups} groups` : solvedBy;

const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** The synthetic cohorts' seed: one draw of each shape is not all of them. */
const seed = Number(process.env.BENCH_SEED ?? 2027);
if (!Number.isSafeInteger(seed) || seed < 0) {
  console.error(`BENCH_SEED must be a whole number of 0 or more (got "${process.env.BENCH_SEED}").`);
  process.exit(2);
}

/** Runs of each case; its figures are their medians, and the range of its seconds is printed. */
const runs = Number(process.env.BENCH_RUNS ?? 1);
if (!Number.isSafeInteger(runs) || runs < 1 || runs > 25) {
  console.error(`BENCH_RUNS must be a whole number from 1 to 25 (got "${process.env.BENCH_RUNS}").`);
  process.exit(2);
}

const runsNote = runs === 1 ? '' : `, each figure the median of ${runs} runs`;

/** The middle value (the mean of the two middle ones for an even count). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/**
 * A case's runs as one set of figures: the medians of the measured fields, the rest (the same
 * every run: the cohort is seeded and the solve deterministic) from the first run, the
 * certificate held only if it held every time; `range`, the fewest and most seconds of a run.
 */
function medianRun<F extends { optimal: boolean }>(
  all: readonly F[],
  measured: readonly (keyof F)[],
  seconds: (f: F) => number,
): Median<F> {
  const figures = { ...(all[0] as F) };
  for (const field of measured) {
    (figures[field] as number) = median(all.map((f) => f[field] as number));
  }
  figures.optimal = all.every((f) => f.optimal);
  const times = all.map(seconds);
  return { ...figures, seconds: median(times), range: [Math.min(...times), Math.max(...times)] };
}

/** A case's median figures as `medianRun` gives them: `seconds`, the median of the runs' totals. */
type Median<F> = F & { seconds: number; range: [number, number] };

/** The fewest and most seconds of a case's runs, or "-" for one run. */
const rangeLabel = ([low, high]: [number, number]) =>
  runs === 1 ? '-' : `${low.toFixed(2)}–${high.toFixed(2)}`;

/** The program every case is matched with: the defaults, as of a fixed start (bench/program.yaml). */
const benchProgram = join(import.meta.dirname, 'program.yaml');

/** The bench program's text for a case: with the case's matching settings, if any (the file sets none). */
const programText = (c: BenchCase) =>
  readFileSync(benchProgram, 'utf8') +
  (c.matching
    ? `\nmatching:\n${Object.entries(c.matching)
        .map(([key, value]) => `  ${key}: ${value}\n`)
        .join('')}`
    : '');

function runCase(c: BenchCase): CaseFigures {
  const cohort = syntheticCohort(c.kind, c.mentees, c.mentors, seed, c.capacity, c.unplaceable);
  const applications = [...cohort.mentees, ...cohort.mentors];
  const program = parseProgram(programText(c), benchProgram);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const prepared = prepareMatching(applications, program, {
    scoreAllPairs: scoreInParallel,
    solveHelper: startSolveHelper,
  });
  const scored = performance.now();
  const result = solvePrepared(prepared);
  const solved = performance.now();
  const used = process.cpuUsage(cpu);
  return {
    name: c.name,
    mentees: c.mentees,
    mentors: c.mentors,
    capacity: c.capacity,
    scoringSeconds: (scored - started) / 1000,
    // Solving includes writing every pair's explanation.
    solvingSeconds: (solved - scored) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
    peakMb: peakMb(),
    eligiblePairs: result.summary.eligiblePairs,
    candidatePairs: result.summary.candidatePairs,
    rounds: result.summary.solverRounds,
    matched: result.summary.matched,
    totalScore: result.summary.totalScore,
    optimal: result.summary.optimal,
    solvedBy: solvedByLabel(result.solvedBy, result.alikeGroups),
  };
}

/** The case column: as wide as the longest name, and a space. */
const caseWidth = Math.max(...cases.map((c) => c.name.length)) + 1;

const header = `${'case'.padEnd(caseWidth)}mentees × mentors × cap  scoring s  solving s  total s     range s  cpu s  peak MB  eligible pairs  candidates  rounds  matched  total score  certificate                     target  solved by`;

/** 3, or 1/2 for mentors of one or two places. */
const placesLabel = (capacity: number | readonly number[]) =>
  typeof capacity === 'number' ? String(capacity) : capacity.join('/');

/** The case's shape: mentees × mentors × places. */
const shapeOf = (c: BenchCase) => `${c.mentees} × ${c.mentors} × ${placesLabel(c.capacity)}`;

/** The last two columns: whether the certificate held, and the seconds and peak against the case's targets. */
function verdict(c: BenchCase, seconds: number, peakMb: number, optimal: boolean): string[] {
  const limits = target(c);
  const met = seconds <= limits.seconds && peakMb <= limits.megabytes && optimal;
  return [
    (optimal ? 'held' : 'NOT HELD').padStart(12),
    `${met ? 'met' : 'MISSED'} (≤ ${limits.seconds} s, ${limits.megabytes} MB)`.padStart(26),
  ];
}

function row(c: BenchCase, f: Median<CaseFigures>): string {
  const total = f.seconds;
  return [
    c.name.padEnd(caseWidth - 1),
    shapeOf(c).padEnd(24),
    f.scoringSeconds.toFixed(2).padStart(9),
    f.solvingSeconds.toFixed(2).padStart(10),
    total.toFixed(2).padStart(8),
    rangeLabel(f.range).padStart(11),
    f.cpuSeconds.toFixed(1).padStart(6),
    String(Math.round(f.peakMb)).padStart(8),
    String(f.eligiblePairs).padStart(15),
    String(f.candidatePairs).padStart(11),
    String(f.rounds).padStart(7),
    String(f.matched).padStart(8),
    f.totalScore.toFixed(1).padStart(12),
    ...verdict(c, total, f.peakMb, f.optimal),
    ` ${f.solvedBy}`,
  ].join(' ');
}

/** Runs a case in a child process, so that its peak memory is its own: `runs` times, the medians. */
function measure(c: BenchCase): Median<CaseFigures> {
  const all = Array.from({ length: runs }, () => {
    const output = execFileSync(process.execPath, [import.meta.filename, '--figures', c.name], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    return JSON.parse(output) as CaseFigures;
  });
  return medianRun(
    all,
    ['scoringSeconds', 'solvingSeconds', 'cpuSeconds', 'peakMb'],
    (f) => f.scoringSeconds + f.solvingSeconds,
  );
}

function caseNamed(name: string | undefined): BenchCase {
  const found = cases.find((c) => c.name === name);
  if (!found) {
    console.error(`No bench case "${name ?? ''}". Cases: ${cases.map((c) => c.name).join(', ')}`);
    process.exit(2);
  }
  return found;
}

/** What `tandem match --json` prints, and what the bench adds: the whole process's time and peak. */
interface CliFigures {
  seconds: number;
  peakMb: number;
  solveSeconds: number;
  rounds: number;
  candidatePairs: number;
  matched: number;
  optimal: boolean;
  solvedBy: string;
}

/**
 * `tandem match` on the case's cohort written as an intake CSV, with the bench's program, in a
 * child process that runs the CLI through its entry point (bench/run-cli.mjs): its time counts
 * from the process's start (module loading included) to its exit, and its peak memory is its own.
 */
function measureCli(c: BenchCase): Median<CliFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-bench-'));
  try {
    const cohort = syntheticCohort(c.kind, c.mentees, c.mentors, seed, c.capacity, c.unplaceable);
    const csv = join(dir, 'applications.csv');
    writeFileSync(csv, applicationsCsv([...cohort.mentors, ...cohort.mentees]));
    const program = join(dir, 'program.yaml');
    writeFileSync(program, programText(c));
    const all = Array.from({ length: runs }, () => runCli(dir, csv, program));
    return medianRun(all, ['solveSeconds', 'peakMb'], (f) => f.seconds);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One run of `tandem match` on `csv` with `program`, its files in `dir`. */
function runCli(dir: string, csv: string, program: string): CliFigures {
  const figures = join(dir, 'figures.json');
  const summary = execFileSync(
    process.execPath,
    [
      join(import.meta.dirname, 'run-cli.mjs'),
      figures,
      'match',
      csv,
      '--program',
      program,
      '--out',
      join(dir, 'matches.csv'),
      '--json',
    ],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  const printed = JSON.parse(summary);
  return {
    ...printed,
    solvedBy: solvedByLabel(printed.solvedBy, printed.alikeGroups),
    ...JSON.parse(readFileSync(figures, 'utf8')),
  } as CliFigures;
}

const cliHeader = `${'case'.padEnd(caseWidth)}mentees × mentors × cap  end to end s     range s  of it solving s  peak MB  candidates  rounds  matched  certificate                     target  solved by`;

function cliRow(c: BenchCase, f: Median<CliFigures>): string {
  return [
    c.name.padEnd(caseWidth - 1),
    shapeOf(c).padEnd(24),
    f.seconds.toFixed(2).padStart(12),
    rangeLabel(f.range).padStart(11),
    f.solveSeconds.toFixed(2).padStart(16),
    String(Math.round(f.peakMb)).padStart(8),
    String(f.candidatePairs).padStart(11),
    String(f.rounds).padStart(7),
    String(f.matched).padStart(8),
    ...verdict(c, f.seconds, f.peakMb, f.optimal),
    ` ${f.solvedBy}`,
  ].join(' ');
}

const [, , flag, name] = process.argv;
if (flag === '--cli') {
  const large = process.env.BENCH_50K === '1';
  const chosen = name !== undefined ? [caseNamed(name)] : cases.filter((c) => large || !c.large);
  console.log(`tandem match end to end on each case's cohort as an intake CSV, seed ${seed}${runsNote}`);
  console.log(cliHeader);
  for (const c of chosen) console.log(cliRow(c, measureCli(c)));
  if (name === undefined && !large) console.log('The 50,000-mentee cases run with BENCH_50K=1.');
} else if (flag === '--figures') {
  console.log(JSON.stringify(runCase(caseNamed(name))));
} else if (flag === '--case') {
  const c = caseNamed(name);
  console.log(header);
  console.log(row(c, measure(c)));
} else {
  const large = process.env.BENCH_50K === '1';
  console.log(
    `Matching benchmark: scoring + exact solve (the default program unless the case sets its matching), one process per case, seed ${seed}${runsNote}`,
  );
  console.log(header);
  for (const c of cases) {
    if (c.large && !large) continue;
    console.log(row(c, measure(c)));
  }
  if (!large) console.log('The 50,000-mentee cases run with BENCH_50K=1.');
}
