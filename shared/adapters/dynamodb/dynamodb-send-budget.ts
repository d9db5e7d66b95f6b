import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SendBudget } from '../../ports.ts';
import { keys } from './table-design.ts';

/** A second's budget item outlives its second by this much, then TTL removes it. */
const keepSeconds = 3600;

/**
 * The account's SES sends per second, one item per second that every sender counts against
 * with a conditional `ADD`: the count never passes the rate, whoever writes.
 */
export class DynamoDbSendBudget implements SendBudget {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #perSecond: number;

  constructor(db: DynamoDBDocumentClient, tableName: string, perSecond: number) {
    this.#db = db;
    this.#table = tableName;
    this.#perSecond = Math.max(1, Math.floor(perSecond));
  }

  async take(second: number, wanted: number): Promise<number> {
    let ask = Math.min(Math.floor(wanted), this.#perSecond);
    while (ask > 0) {
      try {
        await this.#db.send(
          new UpdateCommand({
            TableName: this.#table,
            Key: keys.sendBudget(second),
            UpdateExpression: 'ADD used :ask SET expiresAt = :expires',
            ConditionExpression: 'attribute_not_exists(used) OR used <= :most',
            ExpressionAttributeValues: {
              ':ask': ask,
              ':most': this.#perSecond - ask,
              ':expires': second + keepSeconds,
            },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return ask;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        // What is left of the second, when DynamoDB says how much was used; else ask for less.
        const used = Number(error.Item?.used?.N ?? Number.NaN);
        ask = Number.isNaN(used) ? ask - 1 : Math.min(ask - 1, this.#perSecond - used);
      }
    }
    return 0;
  }
}
