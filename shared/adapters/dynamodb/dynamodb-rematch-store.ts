import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { RematchRequest } from '../../cohorts/rematch.ts';
import type { RematchStore } from '../../ports.ts';
import { keys } from './table-design.ts';
import { queryPrefix, whenConditionHolds, withoutKeys } from './table-helpers.ts';

/** The rematch queue: one item per person and pair they leave, in the cohort's partition. */
export class DynamoDbRematchStore implements RematchStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async listRematches(cohortId: string): Promise<RematchRequest[]> {
    const items = await queryPrefix(this.#db, this.#table, keys.cohortPk(cohortId), keys.rematchPrefix);
    return items
      .map((item) => withoutKeys<RematchRequest>(item))
      .sort((a, b) => a.queuedAt.localeCompare(b.queuedAt) || a.email.localeCompare(b.email));
  }

  queueRematch(request: RematchRequest): Promise<boolean> {
    return whenConditionHolds(this.#db.send(this.#put(request, 'attribute_not_exists(pk)')));
  }

  async saveRematch(request: RematchRequest): Promise<void> {
    await this.#db.send(this.#put(request, 'attribute_exists(pk)'));
  }

  #put(request: RematchRequest, condition: string): PutCommand {
    return new PutCommand({
      TableName: this.#table,
      Item: {
        ...keys.rematch(request.cohortId, request.email, request.previousPairId),
        type: 'rematch',
        ...request,
      },
      ConditionExpression: condition,
    });
  }
}
