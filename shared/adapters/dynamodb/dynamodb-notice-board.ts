import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { NoticeBoard, OrganizerNotice } from '../../ports.ts';
import { keys } from './table-design.ts';
import { queryAll, whenConditionHolds } from './table-helpers.ts';

export class DynamoDbNoticeBoard implements NoticeBoard {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async post(cohortId: string, notice: OrganizerNotice, id: string = randomUUID()): Promise<void> {
    await whenConditionHolds(
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...keys.notice(cohortId, notice.at, id), type: 'notice', ...notice },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
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
