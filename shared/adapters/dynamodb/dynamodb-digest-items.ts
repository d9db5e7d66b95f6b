import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DigestItems } from '../../cohorts/digest-items.ts';
import type { DigestItemStore } from '../../ports.ts';
import { keys } from './table-design.ts';
import { whenConditionHolds, withoutKeys } from './table-helpers.ts';

/** A digest's numbered items: one item per cohort and round, written once. */
export class DynamoDbDigestItems implements DigestItemStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async keepDigestItems(items: DigestItems): Promise<DigestItems> {
    const put = new PutCommand({
      TableName: this.#table,
      Item: { ...keys.digestItems(items.cohortId, items.round), type: 'digest-items', ...items },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    if (await whenConditionHolds(this.#db.send(put))) return items;
    return (await this.getDigestItems(items.cohortId, items.round)) ?? items;
  }

  async getDigestItems(cohortId: string, round: number): Promise<DigestItems | undefined> {
    const { Item } = await this.#db.send(
      new GetCommand({
        TableName: this.#table,
        Key: keys.digestItems(cohortId, round),
        ConsistentRead: true,
      }),
    );
    return Item ? withoutKeys<DigestItems>(Item) : undefined;
  }
}
