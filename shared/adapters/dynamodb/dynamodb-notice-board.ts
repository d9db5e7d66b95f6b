import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { NoticeBoard, OrganizerNotice } from '../../ports.ts';
import { keys } from './table-design.ts';
import { cancellationReasons, queryAll } from './table-helpers.ts';

export class DynamoDbNoticeBoard implements NoticeBoard {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  /**
   * With an id, a guard item is written in the same transaction: posting the notice again (a
   * retried step or event) adds nothing, even at another time.
   */
  async post(cohortId: string, notice: OrganizerNotice, id?: string): Promise<void> {
    const item = { ...keys.notice(cohortId, notice.at, id ?? randomUUID()), type: 'notice', ...notice };
    if (!id) {
      await this.#db.send(new PutCommand({ TableName: this.#table, Item: item }));
      return;
    }
    try {
      await this.#db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.#table,
                Item: { ...keys.noticeGuard(cohortId, id), type: 'notice-guard' },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: this.#table, Item: item } },
          ],
        }),
      );
    } catch (error) {
      if (cancellationReasons(error)[0] !== 'ConditionalCheckFailed') throw error;
    }
  }

  async list(cohortId: string, since = ''): Promise<OrganizerNotice[]> {
    const items = await queryAll(this.#db, {
      TableName: this.#table,
      // '~' sorts after every ISO timestamp, so this range holds exactly the notices since `since`.
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': keys.cohortPk(cohortId),
        ':from': `${keys.noticePrefix}${since}`,
        ':to': `${keys.noticePrefix}~`,
      },
    });
    return items.map((item) => ({
      at: String(item.at),
      kind: item.kind as OrganizerNotice['kind'],
      message: String(item.message),
    }));
  }
}
