import { Command } from 'commander';
import { registerDemo } from './commands/demo.ts';
import { registerDev } from './commands/dev.ts';
import { registerImport } from './commands/import.ts';
import { registerLaunch } from './commands/launch.ts';
import { registerMatch } from './commands/match.ts';
import { registerReview } from './commands/review.ts';
import { registerStatus } from './commands/status.ts';
import { registerValidate } from './commands/validate.ts';

export function createCli(): Command {
  const cli = new Command('tandem')
    .description('Tandem runs mentorship cohort programs end to end by email.')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (text, write) => write(text) });
  registerValidate(cli);
  registerLaunch(cli);
  registerImport(cli);
  registerStatus(cli);
  registerMatch(cli);
  registerReview(cli);
  registerDev(cli);
  registerDemo(cli);
  return cli;
}
