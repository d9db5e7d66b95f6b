import { randomUUID } from 'node:crypto';
import { DynamoDbInboundLog } from '../../shared/adapters/dynamodb/dynamodb-inbound-log.ts';
import { DynamoDbReplyContexts } from '../../shared/adapters/dynamodb/dynamodb-reply-contexts.ts';
import type { Clock } from '../../shared/ports.ts';
import type { ReceiveDeps } from '../../shared/use-cases/receive-reply.ts';
import type { createTestTable } from './local-table.ts';
import { mailDeps } from './mail-deps.ts';

export { authenticated, unauthenticated } from './verdicts.ts';

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
