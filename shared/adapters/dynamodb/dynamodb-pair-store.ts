import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Pair, PairEndKind, PairLadder } from '../../cohorts/pair.ts';
import type { PairStore } from '../../ports.ts';
import { keys } from './table-design.ts';
import { queryPrefix, whenConditionHolds, withoutKeys } from './table-helpers.ts';

export class DynamoDbPairStore implements PairStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  addPair(pair: Pair): Promise<boolean> {
    return whenConditionHolds(
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...keys.pair(pair.cohortId, pair.pairId), type: 'pair', ...pair },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async listPairs(cohortId: string): Promise<Pair[]> {
    const items = await queryPrefix(this.#db, this.#table, keys.cohortPk(cohortId), keys.pairPrefix);
    return items.map((item) => withoutKeys<Pair>(item));
  }

  async getPair(cohortId: string, pairId: string): Promise<Pair | undefined> {
    const { Item } = await this.#db.send(
      new GetCommand({ TableName: this.#table, Key: keys.pair(cohortId, pairId), ConsistentRead: true }),
    );
    return Item ? withoutKeys<Pair>(Item) : undefined;
  }

  endPair(cohortId: string, pairId: string, reason: string, now: Date, kind?: PairEndKind): Promise<boolean> {
    return whenConditionHolds(
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.pair(cohortId, pairId),
          UpdateExpression: `SET #status = :ended, endedAt = :now, endReason = :reason${kind ? ', endKind = :kind' : ''}`,
          ConditionExpression: '#status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':ended': 'ended',
            ':active': 'active',
            ':now': now.toISOString(),
            ':reason': reason,
            ...(kind ? { ':kind': kind } : {}),
          },
        }),
      ),
    );
  }

  async setLadder(cohortId: string, pairId: string, ladder: PairLadder): Promise<void> {
    await this.#db.send(
      new UpdateCommand({
        TableName: this.#table,
        Key: keys.pair(cohortId, pairId),
        UpdateExpression: 'SET ladder = :ladder',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':ladder': ladder },
      }),
    );
  }
}
