import { Command } from 'commander';

type Register = (cli: Command) => void;

/**
 * Every module of commands, with the top-level commands it registers, in the order `--help`
 * lists them. A command loads only its own module: loading them all cost every start about
 * 70 ms more (`tandem match --help` 0.22 → 0.16 s); `--help`, `help` and an unknown name load
 * them all.
 */
const commandModules: { names: readonly string[]; load: () => Promise<Register> }[] = [
  {
    names: ['login', 'logout', 'whoami'],
    load: async () => (await import('./commands/sign-in.ts')).registerSignIn,
  },
  { names: ['validate'], load: async () => (await import('./commands/validate.ts')).registerValidate },
  { names: ['launch'], load: async () => (await import('./commands/launch.ts')).registerLaunch },
  { names: ['import'], load: async () => (await import('./commands/import.ts')).registerImport },
  { names: ['status'], load: async () => (await import('./commands/status.ts')).registerStatus },
  { names: ['preview'], load: async () => (await import('./commands/preview.ts')).registerPreview },
  {
    names: ['reply-address'],
    load: async () => (await import('./commands/reply-address.ts')).registerReplyAddress,
  },
  {
    names: ['parse-reply'],
    load: async () => (await import('./commands/parse-reply.ts')).registerParseReply,
  },
  { names: ['match'], load: async () => (await import('./commands/match.ts')).registerMatch },
  {
    names: ['draft', 'pin', 'forbid', 'capacity', 'approve-draft', 'approve'],
    load: async () => (await import('./commands/review.ts')).registerReview,
  },
  {
    names: ['pause', 'resume', 'end', 'restart', 'extend'],
    load: async () => (await import('./commands/control.ts')).registerControls,
  },
  {
    names: ['pairs', 'nudge', 'close-pair', 'rematch', 'approve-rematch'],
    load: async () => (await import('./commands/pairs.ts')).registerPairs,
  },
  { names: ['resend'], load: async () => (await import('./commands/resend.ts')).registerResend },
  { names: ['report'], load: async () => (await import('./commands/report.ts')).registerReport },
  {
    names: ['export', 'forget'],
    load: async () => (await import('./commands/personal-data.ts')).registerPersonalData,
  },
  { names: ['dlq'], load: async () => (await import('./commands/dlq.ts')).registerDlq },
  { names: ['dev'], load: async () => (await import('./commands/dev.ts')).registerDev },
  { names: ['clock'], load: async () => (await import('./commands/clock.ts')).registerClock },
  { names: ['send-reply'], load: async () => (await import('./commands/send-reply.ts')).registerSendReply },
  { names: ['simulate'], load: async () => (await import('./commands/simulate.ts')).registerSimulate },
];

/** The top-level commands and their aliases, in `--help`'s order. */
export const commandNames: readonly string[] = commandModules.flatMap((module) => module.names);

/**
 * The CLI, with the command that `args` (the arguments after the program name) names, or with
 * every command when they name none of them.
 */
export async function createCli(args: readonly string[] = []): Promise<Command> {
  const cli = new Command('tandem')
    .description('Tandem runs mentorship cohort programs end to end by email.')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (text, write) => write(text) });
  const named = commandModules.find((module) => module.names.includes(args[0] ?? ''));
  for (const module of named ? [named] : commandModules) (await module.load())(cli);
  return cli;
}
