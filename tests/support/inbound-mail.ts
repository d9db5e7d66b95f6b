import { randomUUID } from 'node:crypto';
import { writeReply } from '../../local/simulation/reply-writer.ts';
import { DynamoDbInboundLog } from '../../shared/adapters/dynamodb/dynamodb-inbound-log.ts';
import { DynamoDbReplyContexts } from '../../shared/adapters/dynamodb/dynamodb-reply-contexts.ts';
import type { Clock } from '../../shared/ports.ts';
import { type ReceiveDeps, receiveReply } from '../../shared/use-cases/receive-reply.ts';
import type { createTestTable } from './local-table.ts';
import { type CapturedEmail, mailDeps } from './mail-deps.ts';
import { authenticated } from './verdicts.ts';

export { authenticated, unauthenticated } from './verdicts.ts';

/**
 * A person answers an email Tandem sent them, through the inbound pipeline: the reply their
 * mail program writes (an out-of-office instead, when told), from a proven sender.
 */
export async function replyToEmail(
  email: CapturedEmail,
  person: { name: string; email: string },
  body: string,
  deps: ReceiveDeps,
  options: { sesMessageId: string; autoReply?: boolean },
) {
  const to = email.replyTo[0] ?? '';
  const raw = await writeReply({
    from: person,
    to,
    original: { subject: email.subject, text: email.body.text ?? '', from: email.from, date: new Date() },
    body,
    client: 'gmail',
    date: new Date(),
    ...(options.autoReply ? { autoReply: true } : {}),
  });
  return receiveReply(
    {
      sesMessageId: options.sesMessageId,
      raw,
      envelopeRecipients: [to],
      verdicts: authenticated,
      receivedAt: new Date(),
    },
    deps,
  );
}

/** A plain-text message as a mail client writes it. */
export function rawMessage(draft: {
  from: string;
  to: string;
  body: string;
  subject?: string;
  messageId?: string;
}): Uint8Array {
  const head = [
    `From: ${draft.from}`,
    `To: ${draft.to}`,
    `Subject: ${draft.subject ?? 'Re: Check-in 1: how are things?'}`,
    'Date: Tue, 16 Feb 2027 10:00:00 +0000',
    `Message-ID: ${draft.messageId ?? `<${randomUUID()}@mail.example>`}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ];
  return Buffer.from([...head, '', draft.body, ''].join('\r\n'), 'utf8');
}

/** Everything `receiveReply` needs, on a test table. */
export function receiveDeps(table: Awaited<ReturnType<typeof createTestTable>>, clock: Clock): ReceiveDeps {
  return {
    ...mailDeps(table, clock),
    inbound: new DynamoDbInboundLog(table.db, table.tableName),
    replyContexts: new DynamoDbReplyContexts(table.db, table.tableName),
  };
}
