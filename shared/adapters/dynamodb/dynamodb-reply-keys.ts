import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import type { ReplyKeyStore, ReplyKeyTarget } from '../../ports.ts';
import { randomToken } from '../../random-token.ts';
import { keys } from './table-design.ts';
import { batchGetAll, cancellationReasons } from './table-helpers.ts';

/** 16 base32 characters: 80 random bits, and `reply+` + key stays short for every mail client. */
export const replyKeyLength = 16;

export class DynamoDbReplyKeys implements ReplyKeyStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async replyKeysFor(targets: ReplyKeyTarget[]): Promise<string[]> {
    const items = await batchGetAll(
      this.#db,
      this.#table,
      targets.map((t) => keys.replyKeyOf(t.cohortId, t.participantId, t.round)),
      ['sk', 'key'],
    );
    const existing = new Map(items.map((item) => [String(item.sk), String(item.key)]));
    return pMap(
      targets,
      (target) =>
        existing.get(keys.replyKeyOf(target.cohortId, target.participantId, target.round).sk) ??
        this.#create(target),
      { concurrency: 8 },
    );
  }

  async replyKeyFor(target: ReplyKeyTarget): Promise<string> {
    return (await this.#existing(target)) ?? this.#create(target);
  }

  /** Creates the participant's key for the round once: both items are written in one transaction. */
  async #create(target: ReplyKeyTarget): Promise<string> {
    const key = randomToken(replyKeyLength);
    try {
      await this.#db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.#table,
                Item: {
                  ...keys.replyKeyOf(target.cohortId, target.participantId, target.round),
                  type: 'reply-to',
                  key,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.#table,
                Item: { ...keys.replyKey(key), type: 'reply-key', ...target },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return key;
    } catch (error) {
      // A concurrent sender created the key first: use theirs.
      if (cancellationReasons(error)[0] !== 'ConditionalCheckFailed') throw error;
      const winner = await this.#existing(target);
      if (!winner) throw error;
      return winner;
    }
  }

  async resolve(key: string): Promise<ReplyKeyTarget | undefined> {
    const { Item } = await this.#db.send(
      new GetCommand({ TableName: this.#table, Key: keys.replyKey(key.toLowerCase()) }),
    );
    if (!Item) return undefined;
    return {
      cohortId: String(Item.cohortId),
      participantId: String(Item.participantId),
      email: String(Item.email),
      round: Number(Item.round),
    };
  }

  async #existing(target: ReplyKeyTarget): Promise<string | undefined> {
    const { Item } = await this.#db.send(
      new GetCommand({
        TableName: this.#table,
        Key: keys.replyKeyOf(target.cohortId, target.participantId, target.round),
        ConsistentRead: true,
      }),
    );
    return Item ? String(Item.key) : undefined;
  }
}
