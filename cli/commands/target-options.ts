import type { Command } from 'commander';

/** Options shared by every command that talks to a Tandem API. */
export function withTargetOptions(command: Command): Command {
  return command
    .option(
      '--api-url <url>',
      'a deployed Tandem API (default: the local stack of `npm run dev`, or $TANDEM_API_URL)',
    )
    .option('--profile <name>', 'AWS profile whose credentials sign requests to a deployed API')
    .option('--region <region>', 'AWS region of the deployed API (default: read from its URL)');
}
