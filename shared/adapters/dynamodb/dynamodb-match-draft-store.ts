import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { conflict, notFound, TandemError } from '../../errors.ts';
import {
  alreadyApproved,
  emptyReviewSettings,
  type MatchDraft,
  type MatchReview,
} from '../../matching/match-draft.ts';
import type { MatchedPair, ReviewSettings, UnmatchedMentee } from '../../matching/run-matching.ts';
import type { MatchDraftStore } from '../../ports.ts';
import { keys } from './table-design.ts';
import { cancellationReasons, queryPrefix, withoutKeys } from './table-helpers.ts';

/** Bytes of pairs per part item: well under DynamoDB's 400 KB item limit. */
const partBytes = 300_000;
/** DynamoDB's limit on one transaction: 4 MB and 100 items. */
const transactionBytes = 4_000_000;

interface DraftPart {
  pairs: MatchedPair[];
  unmatched: UnmatchedMentee[];
}

type DraftHeader = Omit<MatchDraft, 'pairs' | 'unmatched'> & { parts: number };

export class DynamoDbMatchDraftStore implements MatchDraftStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async getReview(cohortId: string): Promise<MatchReview> {
    const { Item } = await this.#db.send(
      new GetCommand({ TableName: this.#table, Key: keys.matchReview(cohortId), ConsistentRead: true }),
    );
    if (!Item) return { settings: emptyReviewSettings(), version: 0, drafts: 0 };
    return withoutKeys<MatchReview>(Item);
  }

  async saveReviewSettings(cohortId: string, settings: ReviewSettings, version: number): Promise<void> {
    try {
      await this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.matchReview(cohortId),
          UpdateExpression:
            'SET settings = :settings, version = :next, drafts = if_not_exists(drafts, :zero)',
          ConditionExpression:
            'attribute_not_exists(approvedDraft) AND (attribute_not_exists(version) OR version = :version)',
          ExpressionAttributeValues: {
            ':settings': settings,
            ':next': version + 1,
            ':zero': 0,
            ':version': version,
          },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw await this.#reviewConflict(cohortId);
      throw error;
    }
  }

  /**
   * One transaction bumps the draft count (only from the count the caller read, and only
   * while no draft is approved) and writes the header and every part, so a draft is stored
   * whole or not at all.
   */
  async addDraft(fields: Omit<MatchDraft, 'number' | 'status'>, review: MatchReview): Promise<MatchDraft> {
    const number = review.drafts + 1;
    const draft: MatchDraft = { ...fields, number, status: 'draft' };
    const parts = splitIntoParts(draft);
    const { pairs: _pairs, unmatched: _unmatched, ...rest } = draft;
    const header: DraftHeader = { ...rest, parts: parts.length };
    const items = [
      {
        Update: {
          TableName: this.#table,
          Key: keys.matchReview(draft.cohortId),
          UpdateExpression:
            'SET drafts = :number, settings = if_not_exists(settings, :settings), version = if_not_exists(version, :zero)',
          ConditionExpression: `attribute_not_exists(approvedDraft) AND ${review.drafts === 0 ? 'attribute_not_exists(drafts)' : 'drafts = :previous'}`,
          ExpressionAttributeValues: {
            ':number': number,
            ':settings': draft.settings,
            ':zero': 0,
            ...(review.drafts === 0 ? {} : { ':previous': review.drafts }),
          },
        },
      },
      {
        Put: {
          TableName: this.#table,
          Item: { ...keys.matchDraft(draft.cohortId, number), type: 'matchDraft', ...header },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...parts.map((part, index) => ({
        Put: {
          TableName: this.#table,
          Item: {
            ...keys.matchDraftPart(draft.cohortId, number, index + 1),
            type: 'matchDraftPart',
            ...part,
          },
        },
      })),
    ];
    if (items.length > 100 || jsonBytes(parts) > transactionBytes) {
      throw new TandemError(
        'payload_too_large',
        `This draft (${draft.pairs.length} pairs) is too large to store in one piece. Split the cohort into smaller cohorts.`,
      );
    }
    try {
      await this.#db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (cancellationReasons(error)[0] === 'ConditionalCheckFailed') {
        throw await this.#reviewConflict(draft.cohortId);
      }
      throw error;
    }
    return draft;
  }

  async getDraft(cohortId: string, number: number): Promise<MatchDraft | undefined> {
    let header: DraftHeader | undefined;
    const pairs: MatchedPair[] = [];
    const unmatched: UnmatchedMentee[] = [];
    const { sk } = keys.matchDraft(cohortId, number);
    // The header sorts first, then its parts in order.
    for (const item of await queryPrefix(this.#db, this.#table, keys.cohortPk(cohortId), sk)) {
      if (item.sk === sk) header = withoutKeys<DraftHeader>(item);
      else {
        const part = withoutKeys<DraftPart>(item);
        pairs.push(...part.pairs);
        unmatched.push(...part.unmatched);
      }
    }
    if (!header) return undefined;
    const { parts: _parts, ...draft } = header;
    return { ...draft, pairs, unmatched };
  }

  async approveDraft(cohortId: string, number: number, at: Date): Promise<void> {
    const approvedAt = at.toISOString();
    try {
      await this.#db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.#table,
                Key: keys.matchReview(cohortId),
                UpdateExpression: 'SET approvedDraft = :number, approvedAt = :at',
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(approvedDraft)',
                ExpressionAttributeValues: { ':number': number, ':at': approvedAt },
              },
            },
            {
              Update: {
                TableName: this.#table,
                Key: keys.matchDraft(cohortId, number),
                UpdateExpression: 'SET #status = :approved, approvedAt = :at',
                ConditionExpression: 'attribute_exists(pk) AND #status = :draft',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':approved': 'approved', ':draft': 'draft', ':at': approvedAt },
              },
            },
          ],
        }),
      );
    } catch (error) {
      const [review, draft] = cancellationReasons(error);
      if (review === 'ConditionalCheckFailed') throw await this.#reviewConflict(cohortId);
      if (draft === 'ConditionalCheckFailed') {
        throw notFound(
          `Cohort "${cohortId}" has no draft ${number}. Run \`tandem draft ${cohortId}\` first.`,
        );
      }
      throw error;
    }
  }

  /** The plain reason a conditional write on the review failed. */
  async #reviewConflict(cohortId: string): Promise<TandemError> {
    const review = await this.getReview(cohortId);
    if (review.approvedDraft !== undefined) return alreadyApproved(cohortId, review.approvedDraft);
    if (review.drafts === 0) {
      return notFound(`Cohort "${cohortId}" has no draft yet. Run \`tandem draft ${cohortId}\` first.`);
    }
    return conflict(`The review of cohort "${cohortId}" changed at the same time. Please try again.`);
  }
}

/** Pairs then unmatched mentees, cut into parts of at most `partBytes` of JSON each. */
function splitIntoParts(draft: MatchDraft): DraftPart[] {
  const parts: DraftPart[] = [];
  let current: DraftPart = { pairs: [], unmatched: [] };
  let size = 0;
  const add = (bytes: number, put: (part: DraftPart) => void) => {
    if (size + bytes > partBytes && size > 0) {
      parts.push(current);
      current = { pairs: [], unmatched: [] };
      size = 0;
    }
    put(current);
    size += bytes;
  };
  for (const pair of draft.pairs) add(jsonBytes(pair), (part) => part.pairs.push(pair));
  for (const mentee of draft.unmatched) add(jsonBytes(mentee), (part) => part.unmatched.push(mentee));
  parts.push(current);
  return parts;
}

const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
