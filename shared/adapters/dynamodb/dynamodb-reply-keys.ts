import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ReplyKeyStore, ReplyKeyTarget } from '../../ports.ts';
import { randomToken } from '../../random-token.ts';
import { keys } from './table-design.ts';
import { batchGetAll, batchPutAll, cancellationReasons, queryPrefix } from './table-helpers.ts';

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
      targets.map((t) => keys.replyKeyOf(t.cohortId, t.participantId, t.round, t.change)),
      ['sk', 'key'],
    );
    const existing = new Map(items.map((item) => [String(item.sk), String(item.key)]));
    const created: Record<string, unknown>[] = [];
    const found = targets.map((target) => {
      const pointer = keys.replyKeyOf(target.cohortId, target.participantId, target.round, target.change);
      const known = existing.get(pointer.sk);
      if (known) return known;
      const key = randomToken(replyKeyLength);
      created.push(...replyKeyItems(target, key));
      existing.set(pointer.sk, key);
      return key;
    });
    // Written in batches, not a transaction each: a key is 80 random bits, so it never
    // collides, and a worker racing for the same participant and round only adds a second
    // key that resolves just the same (the pointer keeps the last one written).
    await batchPutAll(this.#db, this.#table, created);
    return found;
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
          TransactItems: replyKeyItems(target, key).map((Item) => ({
            Put: { TableName: this.#table, Item, ConditionExpression: 'attribute_not_exists(pk)' },
          })),
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

  async resolve(key: string, now?: Date): Promise<ReplyKeyTarget | undefined> {
    const { Item } = await this.#db.send(
      new GetCommand({ TableName: this.#table, Key: keys.replyKey(key.toLowerCase()) }),
    );
    if (!Item) return undefined;
    // TTL removes an expired key within a day or two; until then it is refused here.
    if (now && Item.expiresAt !== undefined && Number(Item.expiresAt) * 1000 <= now.getTime())
      return undefined;
    return {
      cohortId: String(Item.cohortId),
      participantId: String(Item.participantId),
      email: String(Item.email),
      round: Number(Item.round),
      ...(Item.change !== undefined ? { change: Number(Item.change) } : {}),
    };
  }

  async expireCohort(cohortId: string, expiresAt: Date): Promise<void> {
    const pointers = await queryPrefix(this.#db, this.#table, keys.cohortPk(cohortId), keys.replyKeyPrefix);
    const items = await batchGetAll(
      this.#db,
      this.#table,
      pointers.map((pointer) => keys.replyKey(String(pointer.key))),
    );
    const expires = Math.floor(expiresAt.getTime() / 1000);
    await batchPutAll(this.#db, this.#table, [
      ...pointers.map((pointer) => ({ ...pointer, expiresAt: expires })),
      ...items.map((item) => ({ ...item, expiresAt: expires })),
    ]);
  }

  async #existing(target: ReplyKeyTarget): Promise<string | undefined> {
    const { Item } = await this.#db.send(
      new GetCommand({
        TableName: this.#table,
        Key: keys.replyKeyOf(target.cohortId, target.participantId, target.round, target.change),
        ConsistentRead: true,
      }),
    );
    return Item ? String(Item.key) : undefined;
  }
}

/** The participant's pointer to their key for the round, and the key's own item. */
function replyKeyItems(target: ReplyKeyTarget, key: string): Record<string, unknown>[] {
  return [
    {
      ...keys.replyKeyOf(target.cohortId, target.participantId, target.round, target.change),
      type: 'reply-to',
      key,
    },
    { ...keys.replyKey(key), ...keys.replyKeyListing(target.cohortId, key), type: 'reply-key', ...target },
  ];
}
