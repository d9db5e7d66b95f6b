import { type Command, Option } from 'commander';
import { TandemError } from '../../shared/errors.ts';
import type { Role } from '../../shared/inbound/extract-answers.ts';
import type { UnderstoodReply } from '../../shared/inbound/understand-reply.ts';
import { readInputBytes } from '../../shared/input-files.ts';
import { action, printJson } from '../run.ts';

interface ParseReplyOptions {
  json?: boolean;
  inboundDomain?: string;
  role?: Role;
}

export function registerParseReply(cli: Command): void {
  cli
    .command('parse-reply')
    .description(
      'show what Tandem understands from a reply email: kind, new text, intent, answers (with how sure each is), reply key',
    )
    .argument('<message>', 'the raw email (.eml), as saved with "Show original" or "Download message"')
    .option('--json', 'print what Tandem understood as JSON')
    .option('--inbound-domain <domain>', 'only reply+KEY@ addresses at this domain carry a reply key')
    .addOption(
      new Option(
        '--role <role>',
        'whose check-in the reply answers (guessed from the quoted check-in)',
      ).choices(['mentee', 'mentor']),
    )
    .action(
      action(async (file: string, options: ParseReplyOptions) => {
        const raw = await readInputBytes(file, 'message file');
        // Loaded here, not with the CLI: the mail parser and the word lists would slow every
        // other command's start.
        const { understandReply } = await import('../../shared/inbound/understand-reply.ts');
        const understood = await understandReply(raw, {
          inboundDomain: options.inboundDomain,
          role: options.role,
        });
        if (!understood.ok) {
          throw new TandemError(
            'invalid_input',
            `${file} is not an email Tandem can read: ${understood.problem}. Save the whole message with its headers (in most mail clients "Show original" or "View source", then save it as .eml).`,
          );
        }
        if (options.json) return printJson(asJson(understood.reply));
        printReply(file, understood.reply);
      }),
    );
}

/** The fields of `tandem parse-reply --json`: the five that support relies on first, then the details. */
function asJson(reply: UnderstoodReply) {
  const { kind, text, intent, answers, replyKey, ...details } = reply;
  return { kind, text, intent, answers, replyKey, ...details };
}

const indent = (text: string, prefix: string) =>
  text
    .split('\n')
    .map((line) => `${prefix}${line}`.trimEnd())
    .join('\n');

function printReply(file: string, reply: UnderstoodReply): void {
  const counted =
    reply.kind === 'reply'
      ? ''
      : reply.kind === 'empty'
        ? ' — nothing to record'
        : ' — never counted as an answer, never answered';
  console.log(`${file}: ${reply.kind} (${reply.reason})${counted}`);
  console.log(
    `  from:         ${reply.from.name ? `${reply.from.name} <${reply.from.address}>` : reply.from.address}`,
  );
  console.log(`  subject:      ${reply.subject}`);
  console.log(
    `  reply key:    ${reply.replyKey ?? '(none)'}${reply.replyKeys.length > 1 ? ` (also ${reply.replyKeys.slice(1).join(', ')})` : ''}`,
  );
  if (reply.kind === 'reply') {
    const { met, topics, actionItems, rating } = reply.answers;
    const unsure = (field: keyof UnderstoodReply['confidence']) =>
      reply.confidence[field] === 'low' ? '   (low confidence: check the note)' : '';
    console.log(`  intent:       ${reply.intent ?? '(unclear: left to the organizers)'}${unsure('intent')}`);
    console.log(`  met:          ${met === null ? '(no answer)' : met ? 'yes' : 'no'}${unsure('met')}`);
    console.log(`  topics:       ${topics.length > 0 ? topics.join('; ') : '(none)'}${unsure('topics')}`);
    console.log(`  action items:${actionItems.length > 0 ? '' : ' (none)'}${unsure('actionItems')}`);
    for (const item of actionItems) console.log(`    - ${item}`);
    console.log(`  rating:       ${rating === null ? '(none)' : `${rating}/5`}${unsure('rating')}`);
    console.log(`  note:${reply.note ? '' : '         (none)'}`);
    if (reply.note) console.log(indent(reply.note, '    | '));
  }
  console.log(`  new text:${reply.text ? '' : '     (none)'}`);
  if (reply.text) console.log(indent(reply.text, '    | '));
  if (reply.truncated)
    console.log('  (the message was longer than Tandem reads: only its beginning was understood)');
}
