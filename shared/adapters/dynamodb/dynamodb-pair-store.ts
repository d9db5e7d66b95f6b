import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Pair } from '../../cohorts/pair.ts';
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

  endPair(cohortId: string, pairId: string, reason: string, now: Date): Promise<boolean> {
    return whenConditionHolds(
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.pair(cohortId, pairId),
          UpdateExpression: 'SET #status = :ended, endedAt = :now, endReason = :reason',
          ConditionExpression: '#status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':ended': 'ended',
            ':active': 'active',
            ':now': now.toISOString(),
            ':reason': reason,
          },
        }),
      ),
    );
  }
}
