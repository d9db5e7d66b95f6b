import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type Answer, mergeReply } from '../../cohorts/answer.ts';
import { boundedAnswer, storedMessageId } from '../../cohorts/answer-limits.ts';
import type { AnswerStore, AnswerSummary, RecordReplyInput, StoredAnswer } from '../../ports.ts';
import { inboundPut } from './dynamodb-inbound-log.ts';
import { keys } from './table-design.ts';
import { cancellationReasons, queryAll, queryPrefix, withoutKeys } from './table-helpers.ts';

/** Concurrent replies to the same round (rare) retry the read-merge-write this many times. */
const maxAttempts = 5;

export class DynamoDbAnswerStore implements AnswerStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async recordReply(
    input: RecordReplyInput,
    current?: StoredAnswer | null,
  ): Promise<'recorded' | 'updated' | 'duplicate'> {
    let updateParticipant = input.content.actionItems.length > 0;
    for (let attempt = 1; ; attempt++) {
      // The caller's read serves the first attempt; after a conflict, read what won.
      const read =
        attempt === 1 && current !== undefined
          ? (current ?? undefined)
          : await this.#getVersioned(input.cohortId, input.round, input.participantId);
      const previous = read?.answer;
      const messageId = storedMessageId(input.messageId);
      if (previous?.replies.some((reply) => reply.messageId === messageId)) return 'duplicate';
      const merged: Answer = boundedAnswer({
        ...mergeReply(previous, input.content),
        cohortId: input.cohortId,
        round: input.round,
        participantId: input.participantId,
        email: input.email,
        replies: [
          ...(previous?.replies ?? []),
          { messageId: input.messageId, receivedAt: input.receivedAt, text: input.text },
        ],
        updatedAt: input.receivedAt,
      });
      const version = read?.version ?? 0;
      try {
        await this.#db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.#table,
                  Item: {
                    ...keys.answer(input.cohortId, input.round, input.participantId),
                    type: 'answer',
                    ...merged,
                    version: version + 1,
                  },
                  // Optimistic concurrency: the merge was computed from this exact version.
                  ConditionExpression: previous ? 'version = :version' : 'attribute_not_exists(pk)',
                  ...(previous ? { ExpressionAttributeValues: { ':version': version } } : {}),
                },
              },
              ...(input.inbound
                ? [
                    {
                      Put: inboundPut(this.#table, {
                        ...input.inbound,
                        outcome: previous ? 'updated' : 'recorded',
                      }),
                    },
                  ]
                : []),
              ...(updateParticipant
                ? [
                    {
                      Update: {
                        TableName: this.#table,
                        Key: keys.participant(input.cohortId, input.email),
                        UpdateExpression: 'SET lastActionItems = :items, lastActionItemsRound = :round',
                        // A late reply to an older round never replaces newer action items.
                        ConditionExpression:
                          'attribute_exists(pk) AND (attribute_not_exists(lastActionItemsRound) OR lastActionItemsRound <= :round)',
                        ExpressionAttributeValues: { ':items': merged.actionItems, ':round': input.round },
                      },
                    },
                  ]
                : []),
            ],
          }),
        );
        return previous ? 'updated' : 'recorded';
      } catch (error) {
        // In TransactItems order: the answer, the inbound entry if any, the participant if any.
        const [answer, ...others] = cancellationReasons(error);
        const inbound = input.inbound ? others.shift() : undefined;
        const participant = others.shift();
        // The message was recorded meanwhile (a concurrent delivery of it).
        if (inbound === 'ConditionalCheckFailed') return 'duplicate';
        if (answer !== 'ConditionalCheckFailed' && participant === 'ConditionalCheckFailed') {
          updateParticipant = false;
        } else if (answer !== 'ConditionalCheckFailed' || attempt >= maxAttempts) {
          throw error;
        }
      }
    }
  }

  async getAnswer(cohortId: string, round: number, participantId: string): Promise<Answer | undefined> {
    return (await this.#getVersioned(cohortId, round, participantId))?.answer;
  }

  async listAnswers(cohortId: string, round: number): Promise<Answer[]> {
    const items = await queryPrefix(this.#db, this.#table, keys.cohortPk(cohortId), keys.answerPrefix(round));
    return items.map((item) => answerOf(item));
  }

  async answeredBy(cohortId: string, round: number): Promise<Set<string>> {
    const items = await queryAll(this.#db, {
      TableName: this.#table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.cohortPk(cohortId), ':prefix': keys.answerPrefix(round) },
      ProjectionExpression: 'participantId',
      ConsistentRead: true,
    });
    return new Set(items.map((item) => String(item.participantId)));
  }

  async listAnswerSummaries(cohortId: string, round?: number): Promise<AnswerSummary[]> {
    const items = await queryAll(this.#db, {
      TableName: this.#table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': keys.cohortPk(cohortId),
        ':prefix': round === undefined ? keys.answersPrefix : keys.answerPrefix(round),
      },
      ProjectionExpression: summaryAttributes.map((_, index) => `#a${index}`).join(', '),
      ExpressionAttributeNames: Object.fromEntries(
        summaryAttributes.map((name, index) => [`#a${index}`, name]),
      ),
      ConsistentRead: true,
    });
    return items.map((item) => withoutKeys<AnswerSummary>(item));
  }

  /** The answer and the version it was read at, for the optimistic write that follows. */
  async #getVersioned(cohortId: string, round: number, participantId: string) {
    const { Item } = await this.#db.send(
      new GetCommand({
        TableName: this.#table,
        Key: keys.answer(cohortId, round, participantId),
        ConsistentRead: true,
      }),
    );
    return Item ? storedAnswerOf(Item) : undefined;
  }
}

/** Every attribute of an answer but the replies' texts. */
const summaryAttributes = [
  'cohortId',
  'round',
  'participantId',
  'email',
  'met',
  'topics',
  'actionItems',
  'rating',
  'intent',
  'note',
  'confidence',
  'survey',
  'updatedAt',
] as const;

/** An answer item as the domain sees it, with the version for the optimistic write. */
export function storedAnswerOf(item: Record<string, unknown>): StoredAnswer {
  return { answer: answerOf(item), version: Number(item.version) };
}

/** The answer without the table's keys and its optimistic-locking version. */
function answerOf(item: Record<string, unknown>): Answer {
  const { version: _version, ...answer } = withoutKeys<Answer & { version: number }>(item);
  return answer;
}
