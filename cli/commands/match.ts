import { createWriteStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { stringify as stringifySync } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import type { Application } from '../../shared/applications/application-schema.ts';
import { parseApplicationsCsv } from '../../shared/applications/applications-csv.ts';
import { formatIssues, invalidInput } from '../../shared/errors.ts';
import { readInputFile } from '../../shared/input-files.ts';
import { defaultMatchingProgram, type MatchingProgram } from '../../shared/matching/matching-program.ts';
import { maxScoreTenths } from '../../shared/matching/pair-scores.ts';
import {
  eligibleTable,
  type MatchResult,
  type PreparedMatching,
  prepareMatching,
  solvePrepared,
} from '../../shared/matching/run-matching.ts';
import { scoreInParallel, warmScoringWorkers } from '../../shared/matching/score-in-parallel.ts';
import { startSolveHelper, warmSolveHelper } from '../../shared/matching/solve-helper.ts';
import type { WarmWorker } from '../../shared/matching/worker-threads.ts';
import { action, printJson } from '../run.ts';

export const matchesCsvColumns = ['mentee_email', 'mentor_email', 'score', 'reasons'] as const;
export const scoresCsvColumns = ['mentee_email', 'mentor_email', 'score'] as const;

interface MatchOptions {
  program?: string;
  out: string;
  scoresOut?: string;
  json?: boolean;
}

export function registerMatch(cli: Command): void {
  cli
    .command('match')
    .description(
      'match mentees to mentors from an applications CSV, offline: the proven optimum, every pair explained',
    )
    .argument('<csv>', 'applications in the intake format (the same header as `tandem import`)')
    .option('--program <file>', "the program file whose matching settings apply (default: Tandem's defaults)")
    .requiredOption('--out <file>', 'write the pairs here: mentee_email,mentor_email,score,reasons')
    .option('--scores-out <file>', 'also write every eligible pair: mentee_email,mentor_email,score')
    .option('--json', 'print a summary as JSON')
    .action(
      action(async (file: string, options: MatchOptions) => {
        const started = performance.now();
        // For a large cohort the worker threads start loading while the CSV is read; those
        // never used are closed. A small one has no use for them, and starting them costs it
        // about a fifth of its time (the example cohort: 0.21 → 0.25 s).
        const large = ((await stat(file).catch(() => undefined))?.size ?? 0) >= warmFromBytes;
        const warm = large
          ? { scorers: warmScoringWorkers(), helper: warmSolveHelper() }
          : { scorers: [], helper: undefined };
        try {
          await matchFile(file, options, started, warm);
        } finally {
          for (const worker of warm.scorers) worker.close();
          warm.helper?.close();
        }
      }),
    );
}

/**
 * CSV files from which `tandem match` starts its worker threads before reading them: about
 * 4,000 applications, from where scoring may look at the 8 million pairs that it scores on
 * several threads from (score-in-parallel.ts).
 */
const warmFromBytes = 500_000;

/** `tandem match` once its workers are warming: reads, matches, writes and prints. */
async function matchFile(
  file: string,
  options: MatchOptions,
  started: number,
  warm: { scorers: readonly WarmWorker[]; helper: WarmWorker | undefined },
): Promise<void> {
  const { applications, rejected } = await readApplications(file);
  // The YAML reader loads only for a program file (about 30 ms of every start otherwise).
  const program: MatchingProgram = options.program
    ? await (await import('../../shared/program/load-program.ts')).loadProgramFile(options.program)
    : defaultMatchingProgram(DateTime.utc().toISODate() ?? '');
  const prepared = prepareMatching(applications, program, {
    scoreAllPairs: (model) => {
      // Those scoring had no use for (a cohort of fewer pairs scores on this thread) stop now.
      try {
        return scoreInParallel(model, { warm: warm.scorers });
      } finally {
        for (const worker of warm.scorers) worker.close();
      }
    },
    solveHelper: (setting, widenLimit) => startSolveHelper(setting, widenLimit, { warm: warm.helper }),
  });
  const result = solvePrepared(prepared);
  await writeFile(options.out, matchesCsv(result));
  if (options.scoresOut) {
    await pipeline(Readable.from(scoresCsv(prepared)), createWriteStream(options.scoresOut));
  }
  const seconds = Math.round((performance.now() - started) / 10) / 100;
  if (rejected.length > 0) {
    process.exitCode = 1;
    console.error(`✗ ${rejected.length} rows were left out of matching:`);
    console.error(formatIssues(rejected));
  }
  if (options.json) {
    const { summary } = result;
    return printJson({
      matched: summary.matched,
      unmatched: summary.unmatched,
      totalScore: summary.totalScore,
      meanScore: summary.meanScore,
      seconds,
      objective: summary.objective,
      mentees: summary.mentees,
      mentors: summary.mentors,
      eligiblePairs: summary.eligiblePairs,
      optimal: summary.optimal,
      solveSeconds: Math.round(result.seconds.solving * 100) / 100,
      rounds: summary.solverRounds,
      candidatePairs: summary.candidatePairs,
      solvedBy: result.solvedBy,
      ...(result.alikeGroups ? { alikeGroups: result.alikeGroups } : {}),
      rejectedRows: rejected.length,
      out: options.out,
      ...(options.scoresOut ? { scoresOut: options.scoresOut } : {}),
    });
  }
  printResult(result, options, seconds);
}

/** Good rows of the CSV; for an email that appears twice, the later row wins, as on import. */
async function readApplications(file: string) {
  const { rows } = parseApplicationsCsv(await readInputFile(file, 'CSV file'), file);
  const byEmail = new Map<string, Application>();
  const rejected = rows.flatMap((row) => {
    if (row.application) byEmail.set(row.application.email, row.application);
    return row.issues;
  });
  if (byEmail.size === 0) {
    throw invalidInput(`${file} has no usable application`, rejected);
  }
  return { applications: [...byEmail.values()], rejected };
}

/**
 * Every eligible pair as the `--scores-out` CSV text, a block of mentees' rows at a time. Each
 * person's email and each score's text is made a CSV field once, by csv-stringify, not once per
 * pair: stringified row by row, `one-to-one`'s 11.8 million pairs took 22 s.
 */
export function* scoresCsv(prepared: PreparedMatching): Generator<string> {
  const { model } = prepared;
  const table = eligibleTable(prepared);
  const field = (value: string) => stringifySync([[value]], { eof: false });
  const mentor = model.mentors.map((a) => field(a.email));
  const score = Array.from({ length: maxScoreTenths + 1 }, (_, tenths) => field(String(tenths / 10)));
  yield stringifySync([[...scoresCsvColumns]]);
  for (let from = 0; from < table.mentees; from += scoresCsvBlock) {
    const lines: string[] = [];
    for (let i = from; i < Math.min(table.mentees, from + scoresCsvBlock); i++) {
      const mentee = field(model.mentees[i]?.email ?? '');
      let k = table.rowStart[i] ?? 0;
      for (let r = table.runStart[i] ?? 0, runs = table.runStart[i + 1] ?? 0; r < runs; r++) {
        const pairScore = score[table.runScore[r] ?? 0];
        for (const end = table.runEnd[r] ?? 0; k < end; k++) {
          lines.push(`${mentee},${mentor[table.mentor[k] ?? 0]},${pairScore}\n`);
        }
      }
    }
    yield lines.join('');
  }
}

/**
 * Mentees per block of `scoresCsv`: up to a few megabytes of text each, of which the stream
 * holds several (blocks of 64 took 100 MB more than none).
 */
const scoresCsvBlock = 16;

function matchesCsv(result: MatchResult): string {
  const rows = [
    ...result.pairs.map((pair) => [pair.mentee, pair.mentor, pair.score, pair.reasons.join(' · ')]),
    ...result.unmatched.map((mentee) => [mentee.mentee, '', '', mentee.reason]),
  ];
  return stringifySync(rows, { header: true, columns: [...matchesCsvColumns] });
}

function printResult(result: MatchResult, options: MatchOptions, seconds: number): void {
  const { summary } = result;
  console.log(
    `✓ ${summary.matched} of ${summary.mentees} mentees matched to ${summary.mentors} mentors (${summary.objective}), mean score ${summary.meanScore}, total ${summary.totalScore}`,
  );
  console.log(
    `  ${summary.optimal ? 'proven optimal' : 'NOT proven optimal'} over ${summary.eligiblePairs} eligible pairs in ${seconds} s → ${options.out}`,
  );
  if (options.scoresOut) console.log(`  every eligible pair → ${options.scoresOut}`);
  for (const mentee of result.unmatched) console.log(`  unmatched ${mentee.mentee}: ${mentee.reason}`);
}
