import type { Command } from 'commander';
import type { ResendResult } from '../../shared/use-cases/resend-dead-letters.ts';
import { connect, type TargetOptions } from '../api-client.ts';
import { action, printJson } from '../run.ts';
import { withTargetOptions } from './target-options.ts';

export function registerResend(cli: Command): void {
  withTargetOptions(
    cli
      .command('resend')
      .description(
        "send a cohort's dead letters again (emails SES rejected), once the cause is fixed: each goes out once, as it was written",
      )
      .argument('<cohort>', 'the cohort id')
      .option('--json', 'print as JSON'),
  ).action(
    action(async (cohortId: string, options: TargetOptions & { json?: boolean }) => {
      const api = await connect(options);
      const result = await api.request<ResendResult>(
        'POST',
        `/cohorts/${encodeURIComponent(cohortId)}/resend`,
      );
      if (options.json) return printJson(result);
      console.log(`${result.resent > 0 ? '✓' : '·'} ${result.message}`);
    }),
  );
}
