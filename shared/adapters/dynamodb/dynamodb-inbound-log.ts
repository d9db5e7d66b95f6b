import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { storedMessageId } from '../../cohorts/answer-limits.ts';
import type { InboundEntry, InboundLog } from '../../ports.ts';
import { keys } from './table-design.ts';
import { queryPrefix, whenConditionHolds } from './table-helpers.ts';

/** Long enough to outlast any retry of the same message by SES or Lambda. */
const keepDays = 90;

/** The write of a message's entry, once per message (also part of an answer's transaction). */
export function inboundPut(table: string, entry: InboundEntry) {
  return {
    TableName: table,
    Item: {
      ...keys.inbound(entry.cohortId, entry.messageId),
      type: 'inbound',
      messageId: storedMessageId(entry.messageId),
      outcome: entry.outcome,
      ...(entry.kind ? { kind: entry.kind } : {}),
      at: entry.at.toISOString(),
      expiresAt: Math.floor(entry.at.getTime() / 1000) + keepDays * 86_400,
    },
    ConditionExpression: 'attribute_not_exists(pk)',
  };
}

export class DynamoDbInboundLog implements InboundLog {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  record(entry: InboundEntry): Promise<boolean> {
    return whenConditionHolds(this.#db.send(new PutCommand(inboundPut(this.#table, entry))));
  }

  async counts(cohortId: string) {
    const byKind: Record<string, number> = {};
    const byOutcome: Record<string, number> = {};
    for (const item of await queryPrefix(
      this.#db,
      this.#table,
      keys.cohortPk(cohortId),
      keys.inboundPrefix,
    )) {
      const kind = String(item.kind ?? 'unreadable');
      byKind[kind] = (byKind[kind] ?? 0) + 1;
      byOutcome[String(item.outcome)] = (byOutcome[String(item.outcome)] ?? 0) + 1;
    }
    return { byKind, byOutcome };
  }
}
