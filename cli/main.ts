import { Command } from 'commander';
import { registerClock } from './commands/clock.ts';
import { registerControls } from './commands/control.ts';
import { registerDev } from './commands/dev.ts';
import { registerDlq } from './commands/dlq.ts';
import { registerImport } from './commands/import.ts';
import { registerLaunch } from './commands/launch.ts';
import { registerMatch } from './commands/match.ts';
import { registerPairs } from './commands/pairs.ts';
import { registerParseReply } from './commands/parse-reply.ts';
import { registerPersonalData } from './commands/personal-data.ts';
import { registerPreview } from './commands/preview.ts';
import { registerReplyAddress } from './commands/reply-address.ts';
import { registerReport } from './commands/report.ts';
import { registerResend } from './commands/resend.ts';
import { registerReview } from './commands/review.ts';
import { registerSendReply } from './commands/send-reply.ts';
import { registerSignIn } from './commands/sign-in.ts';
import { registerSimulate } from './commands/simulate.ts';
import { registerStatus } from './commands/status.ts';
import { registerValidate } from './commands/validate.ts';

export function createCli(): Command {
  const cli = new Command('tandem')
    .description('Tandem runs mentorship cohort programs end to end by email.')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (text, write) => write(text) });
  registerSignIn(cli);
  registerValidate(cli);
  registerLaunch(cli);
  registerImport(cli);
  registerStatus(cli);
  registerPreview(cli);
  registerReplyAddress(cli);
  registerParseReply(cli);
  registerMatch(cli);
  registerReview(cli);
  registerControls(cli);
  registerPairs(cli);
  registerResend(cli);
  registerReport(cli);
  registerPersonalData(cli);
  registerDlq(cli);
  registerDev(cli);
  registerClock(cli);
  registerSendReply(cli);
  registerSimulate(cli);
  return cli;
}
