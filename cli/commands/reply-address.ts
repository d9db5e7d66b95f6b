import type { Command } from 'commander';
import { connect, type TargetOptions } from '../api-client.ts';
import { action, printJson } from '../run.ts';
import { withTargetOptions } from './target-options.ts';

export function registerReplyAddress(cli: Command): void {
  withTargetOptions(
    cli
      .command('reply-address')
      .description("print a participant's reply+KEY@… address for a round, as their emails carry it")
      .argument('<cohort>', 'the cohort id')
      .requiredOption('--email <email>', "the participant's email")
      .option('--round <n>', 'the round (0: application and introductions)', '0')
      .option('--json', 'print as JSON'),
  ).action(
    action(
      async (cohortId: string, options: TargetOptions & { email: string; round: string; json?: boolean }) => {
        const api = await connect(options);
        const query = new URLSearchParams({ email: options.email, round: options.round });
        const result = await api.request<{ address: string }>(
          'GET',
          `/cohorts/${encodeURIComponent(cohortId)}/reply-address?${query}`,
        );
        if (options.json) return printJson(result);
        console.log(result.address);
      },
    ),
  );
}
