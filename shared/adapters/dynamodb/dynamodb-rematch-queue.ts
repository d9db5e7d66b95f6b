import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RematchRequest } from '../../cohorts/rematch.ts';
import type { RematchQueue } from '../../ports.ts';
import { keys } from './table-design.ts';
import { queryPrefix, withoutKeys } from './table-helpers.ts';

/** The cohort's rematch queue: one item per person waiting, or once waiting, for a new partner. */
export class DynamoDbRematchQueue implements RematchQueue {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async list(cohortId: string): Promise<RematchRequest[]> {
    const items = await queryPrefix(this.#db, this.#table, keys.cohortPk(cohortId), keys.rematchPrefix);
    return items.map((item) => withoutKeys<RematchRequest>(item));
  }
}
