import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateCounter, RateLimits } from '../../ports.ts';
import { keys } from './table-design.ts';

/**
 * Counters that every caller shares, one item per counter and window, in partitions of their
 * own (`RATE#…`): a conditional `ADD` never lets the count pass the limit, whoever writes, and
 * the item expires by TTL when its window is long over.
 */
export class DynamoDbRateLimits implements RateLimits {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async take(counter: RateCounter, wanted: number): Promise<number> {
    const limit = Math.max(0, Math.floor(counter.limit));
    let ask = Math.min(Math.floor(wanted), limit);
    while (ask > 0) {
      try {
        await this.#db.send(
          new UpdateCommand({
            TableName: this.#table,
            Key: keys.rate(counter.scope, counter.window),
            UpdateExpression: 'ADD used :ask SET expiresAt = :expires',
            ConditionExpression: 'attribute_not_exists(used) OR used <= :most',
            ExpressionAttributeValues: {
              ':ask': ask,
              ':most': limit - ask,
              ':expires': Math.floor(counter.expiresAt.getTime() / 1000),
            },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return ask;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        // What is left of the window, when DynamoDB says how much was used; else ask for less.
        const used = Number(error.Item?.used?.N ?? Number.NaN);
        ask = Number.isNaN(used) ? ask - 1 : Math.min(ask - 1, limit - used);
      }
    }
    return 0;
  }
}
