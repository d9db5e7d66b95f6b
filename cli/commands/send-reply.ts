import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import MailComposer from 'nodemailer/lib/mail-composer';
import { inboundPath } from '../../local/inbound-control.ts';
import { TandemError } from '../../shared/errors.ts';
import type { ReceiveResult } from '../../shared/use-cases/receive-reply.ts';
import { connect, localApiUrl } from '../api-client.ts';
import { action, printJson } from '../run.ts';

interface SendReplyOptions {
  from: string;
  to: string;
  text?: string;
  file?: string;
  subject: string;
  json?: boolean;
}

/**
 * Plays a participant (or an organizer answering the digest) on the dev stack: a reply goes
 * through the inbound pipeline as if SES had received it, with every verdict passed.
 */
export function registerSendReply(cli: Command): void {
  cli
    .command('send-reply')
    .description(
      'the dev stack only (`npm run dev`): send a reply as if it came by email — a participant answering a check-in, or an organizer answering the digest',
    )
    .requiredOption('--from <email>', 'who sends it')
    .requiredOption('--to <address>', 'the reply address, e.g. from `tandem reply-address COHORT --email E`')
    .option('--text <text>', 'the reply\'s text (use \\n for new lines), e.g. "yes, we met"')
    .option('--file <message.eml>', 'a whole message instead, as a mail client wrote it')
    .option('--subject <subject>', 'the subject of a --text reply', 'Re: your email')
    .option('--json', 'print as JSON')
    .action(
      action(async (options: SendReplyOptions) => {
        if ((options.text === undefined) === (options.file === undefined))
          throw new TandemError(
            'invalid_input',
            'Give the reply as --text "…" or as --file message.eml (one of them).',
          );
        const raw = options.file ? await readFile(options.file, 'utf8') : await compose(options);
        // The local stack only, whatever TANDEM_API_URL says: no deployed API takes mail this way.
        const api = await connect({ apiUrl: await localApiUrl(), credentials: 'none' });
        const result = await api.request<ReceiveResult>('POST', inboundPath, {
          json: { raw, from: options.from, to: options.to },
        });
        if (options.json) return printJson(result);
        const what = [
          result.outcome.replaceAll('_', ' '),
          result.intent && result.intent !== 'continue' ? `(${result.intent})` : '',
        ]
          .filter(Boolean)
          .join(' ');
        console.log(`✓ ${what}${result.round !== undefined ? `, check-in ${result.round}` : ''}`);
      }),
    );
}

async function compose({ from, to, text, subject }: SendReplyOptions): Promise<string> {
  const composer = new MailComposer({
    from,
    to,
    subject,
    text: (text ?? '').replaceAll('\\n', '\n'),
    date: new Date(),
  });
  return (await composer.compile().build()).toString('utf8');
}
