import type { Command } from 'commander';
import { TandemError } from '../../shared/errors.ts';
import type { DlqOptions } from '../dead-letter-queues.ts';
import { action, printJson } from '../run.ts';

/** The stack whose outputs name the dead-letter queues (infra/constructs/monitoring.ts). */
const defaultStack = 'TandemStateless';
/** Messages `tandem dlq` shows, and at most sends back to a function, unless told otherwise. */
const shown = 20;
const everything = 10_000;

export function registerDlq(cli: Command): void {
  cli
    .command('dlq')
    .description(
      "inspect the deployed stack's dead-letter queues (SES events, inbound replies); --redrive sends their messages back",
    )
    .option('--redrive', 'send the messages back to be processed again (once the cause is fixed)')
    .option('--queue <name>', 'only this dead-letter queue, e.g. SesEvents or Inbound')
    .option('--max <n>', 'messages to show (default 20), or at most to send back to a function (default all)')
    .option('--stack <name>', 'the stateless stack, whose outputs name the queues', defaultStack)
    .option(
      '--outputs-file <file>',
      'read the stack outputs from `cdk deploy --outputs-file <file>` instead of CloudFormation',
    )
    .option('--profile <name>', 'AWS profile of the account the stack is deployed in')
    .option('--region <region>', 'AWS region of the stack (default: the profile’s or $AWS_REGION)')
    .option('--json', 'print what was found (and done) as JSON')
    .addHelpText(
      'after',
      '\nEach dead-letter queue raises an alarm as soon as it holds a message; docs/deploy.md, "Alarms", says what to do.',
    )
    .action(
      action(async (options: DlqOptions) => {
        const max = Number(options.max ?? (options.redrive ? everything : shown));
        if (!Number.isInteger(max) || max < 1) {
          throw new TandemError(
            'invalid_input',
            `--max must be a whole number of messages, such as 10 (got ${options.max}).`,
          );
        }
        const { inspectOrRedrive } = await import('../dead-letter-queues.ts');
        const results = await inspectOrRedrive(options, max);
        if (options.json) return printJson(results);
        for (const result of results) console.log(result.text);
      }),
    );
}
