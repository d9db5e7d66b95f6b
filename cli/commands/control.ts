import type { Command } from 'commander';
import type { ControlResult } from '../../shared/workflow/schedule-commands.ts';
import { connect, type TargetOptions } from '../api-client.ts';
import { action, printJson } from '../run.ts';
import { withTargetOptions } from './target-options.ts';

const controls = [
  ['pause', 'pause a running cohort (holidays): no check-ins until it is resumed'],
  ['resume', 'resume a paused cohort: the remaining rounds move back by the length of the pause'],
  ['end', 'end a cohort early, gracefully: the close-out survey now, the thank-you a week later'],
  [
    'restart',
    'restart the cohort workflow after a failure or a redeploy; it carries on from where the cohort stands',
  ],
] as const;

export function registerControls(cli: Command): void {
  for (const [name, description] of controls) {
    withTargetOptions(
      cli
        .command(name)
        .description(description)
        .argument('<cohort>', 'the cohort id')
        .option('--json', 'print as JSON'),
    ).action(
      action(async (cohortId: string, options: TargetOptions & { json?: boolean }) => {
        const api = await connect(options);
        const result = await api.request<ControlResult>(
          'POST',
          `/cohorts/${encodeURIComponent(cohortId)}/${name}`,
        );
        print(result, options.json);
      }),
    );
  }
  withTargetOptions(
    cli
      .command('extend')
      .description(
        'extend a cohort by some weeks (at most 12 months in all): rounds are added at its cadence',
      )
      .argument('<cohort>', 'the cohort id')
      .requiredOption('--weeks <n>', 'how many weeks to add', Number)
      .option('--json', 'print as JSON'),
  ).action(
    action(async (cohortId: string, options: TargetOptions & { weeks: number; json?: boolean }) => {
      const api = await connect(options);
      const result = await api.request<ControlResult>(
        'POST',
        `/cohorts/${encodeURIComponent(cohortId)}/extension`,
        {
          json: { weeks: options.weeks },
        },
      );
      print(result, options.json);
    }),
  );
}

function print(result: ControlResult, json: boolean | undefined): void {
  if (json) {
    printJson(result);
    return;
  }
  console.log(`${result.changed ? '✓' : '·'} ${result.message}`);
  console.log(`  workflow: ${result.executionName}`);
}
