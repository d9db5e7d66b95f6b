import { join, resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { loadProgramFile } from '../../shared/program/load-program.ts';
import { action, printJson } from '../run.ts';
import { writeReportFiles } from './report.ts';

interface SimulateOptions {
  program: string;
  participants: number;
  seed: number;
  speed: number;
  out: string;
  json?: boolean;
  keep?: boolean;
}

/** Thirty virtual days per real second at most: a six-month cohort lasts at least about seven seconds. */
const defaultSpeed = 2_592_000;

export function registerSimulate(cli: Command): void {
  cli
    .command('simulate')
    .description(
      'run a whole synthetic cohort on the local stack, in virtual time, through the real workflow and inbound pipeline; writes DIR/outbox and the cohort report (report.html, report.json, pairs.csv, rounds.csv)',
    )
    .option('--program <file>', 'program file', 'examples/program.yaml')
    .option('--participants <n>', 'how many synthetic people apply (a third are mentors)', positiveInt, 60)
    .option('--seed <s>', 'seed for the synthetic people and their behaviour', positiveInt, 42)
    .option('--speed <x>', 'pace at most, in virtual seconds per real second', positiveInt, defaultSpeed)
    .option('--out <dir>', 'folder for the outbox and the report', 'out/simulation')
    .option('--json', 'print report.json instead of the summary')
    .option('--keep', 'keep the local stack and the SES web inbox up after the run, until Ctrl-C')
    .action(
      action(async (options: SimulateOptions) => {
        const program = await loadProgramFile(options.program);
        const say = options.json
          ? (line: string) => console.error(line)
          : (line: string) => console.log(line);
        say(`Simulating ${program.name} with ${options.participants} people (seed ${options.seed})…`);
        let lastPhase = '';
        // The local stack (CDK, the engines) loads only when it runs: every other command starts fast.
        const { runSimulation } = await import('../../local/simulation/simulation.ts');
        const { buildReport, writeOutbox } = await import('../../local/simulation/simulation-report.ts');
        const run = await runSimulation({
          program,
          participants: options.participants,
          seed: options.seed,
          speed: options.speed,
          onProgress: (progress) => {
            if (progress.phase === lastPhase) return;
            lastPhase = progress.phase;
            say(
              `  ${progress.virtualDate}  ${progress.phase.padEnd(14)} ${progress.emailsSent} emails sent, ${progress.repliesSent} replies received`,
            );
          },
        });
        try {
          const out = resolve(options.out);
          const data = await buildReport(run);
          const { report } = data;
          const emails = await writeOutbox(run, join(out, 'outbox'));
          await writeReportFiles(out, data);
          if (options.json) printJson(report);
          else {
            say(
              `✓ ${report.program}: ${report.phases.at(-1)?.phase ?? 'done'} after ${report.realSeconds} s`,
            );
            say(
              `  ${report.participants.total} participants, ${report.pairs.total} pairs, ${report.emails.total} emails, ${report.replies.total} replies`,
            );
            say(
              `  ${report.atRisk.length} pairs at risk, ${report.exits.length} exits, ${report.rematches.length} rematches, NPS ${report.nps.score ?? '–'}`,
            );
            say(`  outbox:  ${join(out, 'outbox')} (${emails} .eml files)`);
            say(`  report:  ${join(out, 'report.html')}, report.json, pairs.csv, rounds.csv`);
          }
          if (options.keep) {
            say(
              `The local stack stays up: SES inbox ${run.stack.inboxUrl}, API ${run.stack.apiUrl}. Ctrl-C to stop.`,
            );
            await new Promise<void>((done) => {
              process.once('SIGINT', done);
              process.once('SIGTERM', done);
            });
          }
        } finally {
          await run.finish();
          say('Local stack stopped.');
        }
      }),
    );
}

function positiveInt(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new InvalidArgumentError('must be a whole number of at least 1.');
  }
  return number;
}
