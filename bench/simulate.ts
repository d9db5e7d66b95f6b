/**
 * Wall-clock time of `tandem simulate`: whole cohorts of the example program (six months,
 * biweekly check-ins) on the embedded local stack, through the real workflow and inbound
 * pipeline, for each cohort size in turn. Prints figures and whether the targets hold:
 * 60 people in under a minute, 2,000 in under five.
 *
 *   npm run bench:simulate                              (60 and 2,000 people: about 15 minutes)
 *   BENCH_PARTICIPANTS=60,500 npm run bench:simulate    (other sizes)
 */
import { join } from 'node:path';
import { runSimulation } from '../local/simulation/simulation.ts';
import { buildReport } from '../local/simulation/simulation-report.ts';
import { loadProgramFile } from '../shared/program/load-program.ts';

const targets: Record<number, number> = { 60: 60, 2000: 300 };
const sizes = (process.env.BENCH_PARTICIPANTS ?? '60,2000').split(',').map(Number);
const program = await loadProgramFile(join(import.meta.dirname, '..', 'examples', 'program.yaml'));

let failed = false;
for (const participants of sizes) {
  const run = await runSimulation({ program, participants, seed: 42, speed: 2_592_000 });
  try {
    const { report } = await buildReport(run);
    const seconds = run.realSeconds;
    const target = targets[participants];
    const verdict =
      target === undefined ? '' : seconds < target ? `  ✓ < ${target} s` : `  ✗ target ${target} s`;
    if (target !== undefined && seconds >= target) failed = true;
    console.log(
      [
        `${participants} people: ${seconds.toFixed(1)} s${verdict}`,
        `  ${report.pairs.total} pairs, ${report.emails.total} emails, ${report.replies.total} replies recorded`,
        `  ${(report.emails.total / seconds).toFixed(0)} emails/s, ${(report.replies.total / seconds).toFixed(0)} replies/s`,
        `  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (this process; DynamoDB Local runs in its own JVM)`,
      ].join('\n'),
    );
  } finally {
    await run.finish();
  }
}
process.exitCode = failed ? 1 : 0;
