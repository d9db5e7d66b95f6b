import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Cohort, Participant } from '../../cohorts/cohort.ts';
import type { ReplyContext, ReplyContextReader, ReplyKeyTarget } from '../../ports.ts';
import { storedAnswerOf } from './dynamodb-answer-store.ts';
import { keys } from './table-design.ts';
import { batchGetAll, withoutKeys } from './table-helpers.ts';

/**
 * A reply's cohort, participant, answer so far and inbound record live in the cohort's
 * partition: one consistent BatchGetItem reads them all, where four reads would cost a large
 * cohort's thousands of replies four round trips each.
 */
export class DynamoDbReplyContexts implements ReplyContextReader {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async read(target: ReplyKeyTarget, messageId: string): Promise<ReplyContext> {
    const wanted = {
      cohort: keys.cohort(target.cohortId),
      participant: keys.participant(target.cohortId, target.email),
      answer: keys.answer(target.cohortId, target.round, target.participantId),
      inbound: keys.inbound(target.cohortId, messageId),
    };
    const items = await batchGetAll(this.#db, this.#table, Object.values(wanted));
    const item = (key: { sk: string }) => items.find((found) => found.sk === key.sk);
    const cohort = item(wanted.cohort);
    const participant = item(wanted.participant);
    const answer = item(wanted.answer);
    return {
      ...(cohort ? { cohort: withoutKeys<Cohort>(cohort) } : {}),
      ...(participant ? { participant: withoutKeys<Participant>(participant) } : {}),
      seen: item(wanted.inbound) !== undefined,
      answer: answer ? storedAnswerOf(answer) : null,
    };
  }
}
