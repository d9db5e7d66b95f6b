import { type Command, Option } from 'commander';

/** Options shared by every command that talks to a Tandem API. */
export function withTargetOptions(command: Command): Command {
  return (
    command
      .option(
        '--api-url <url>',
        'a deployed Tandem API (default: the local stack of `npm run dev`, or $TANDEM_API_URL); sign in to it once with `tandem login --api-url <url>`',
      )
      // IAM auth is gone: these stay only to say so.
      .addOption(new Option('--profile <name>').hideHelp())
      .addOption(new Option('--region <region>').hideHelp())
  );
}
