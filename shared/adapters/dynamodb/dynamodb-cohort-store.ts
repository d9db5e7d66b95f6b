import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { applicationCsvColumns } from '../../applications/application-schema.ts';
import type { Cohort, Participant, ParticipantMark } from '../../cohorts/cohort.ts';
import { conflict } from '../../errors.ts';
import {
  type CohortCondition,
  type CohortPatch,
  type CohortStore,
  IntakeClosedError,
  type SaveApplicationInput,
} from '../../ports.ts';
import { randomToken } from '../../random-token.ts';
import { keys, tableDesign } from './table-design.ts';
import {
  cancellationReasons,
  queryAll,
  queryPrefix,
  whenConditionHolds,
  withoutKeys,
} from './table-helpers.ts';

const participantIdLength = 12;
/** 22 base32 characters: 110 bits, unguessable. */
const linkTokenLength = 22;

export class DynamoDbCohortStore implements CohortStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async createCohort(cohort: Cohort): Promise<void> {
    try {
      await this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            ...keys.cohort(cohort.id),
            ...keys.cohortListing(cohort.createdAt, cohort.id),
            type: 'cohort',
            ...cohort,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw conflict(`A cohort with id "${cohort.id}" already exists. Give the program a different id.`);
      }
      throw error;
    }
  }

  async getCohort(cohortId: string): Promise<Cohort | undefined> {
    const { Item } = await this.#db.send(
      new GetCommand({ TableName: this.#table, Key: keys.cohort(cohortId), ConsistentRead: true }),
    );
    return Item ? withoutKeys<Cohort>(Item) : undefined;
  }

  /**
   * One transaction checks the cohort's intake and writes the application, so an application
   * can never land after intake closed. The first attempt insists the application is new; if
   * only that condition fails, the second attempt updates it in place.
   */
  async saveApplication(input: SaveApplicationInput): Promise<{ created: boolean }> {
    try {
      await this.#db.send(this.#saveTransaction(input, true));
      return { created: true };
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (reasons[0] === 'ConditionalCheckFailed') throw new IntakeClosedError();
      if (reasons[1] !== 'ConditionalCheckFailed') throw error;
    }
    try {
      await this.#db.send(this.#saveTransaction(input, false));
      return { created: false };
    } catch (error) {
      if (cancellationReasons(error)[0] === 'ConditionalCheckFailed') throw new IntakeClosedError();
      throw error;
    }
  }

  #saveTransaction(
    { cohortId, application, consentSource, now, require }: SaveApplicationInput,
    isNew: boolean,
  ) {
    const at = now.toISOString();
    const linkToken = randomToken(linkTokenLength);
    const set: Record<string, unknown> = {
      ...keys.personListing(application.email, cohortId),
      type: 'participant',
      cohortId,
      consent: { source: consentSource, at },
      updatedAt: at,
    };
    const remove: string[] = [];
    for (const column of applicationCsvColumns) {
      if (column === 'email') continue;
      const value = application[column];
      if (value === undefined) remove.push(column);
      else set[column] = value;
    }
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':false': false, ':now': at };
    const assignments = Object.entries(set).map(([name, value], index) => {
      names[`#s${index}`] = name;
      values[`:s${index}`] = value;
      return `#s${index} = :s${index}`;
    });
    names['#confirmed'] = 'confirmed';
    names['#createdAt'] = 'createdAt';
    names['#email'] = 'email';
    names['#participantId'] = 'participantId';
    names['#linkToken'] = 'linkToken';
    values[':email'] = application.email;
    values[':participantId'] = randomToken(participantIdLength);
    values[':linkToken'] = linkToken;
    assignments.push(
      '#email = :email',
      '#confirmed = if_not_exists(#confirmed, :false)',
      '#createdAt = if_not_exists(#createdAt, :now)',
      '#participantId = if_not_exists(#participantId, :participantId)',
      '#linkToken = if_not_exists(#linkToken, :linkToken)',
    );
    const removals = remove.map((name, index) => {
      names[`#r${index}`] = name;
      return `#r${index}`;
    });

    const cohortCondition =
      require === 'window' ? '#phase = :intake AND #opens <= :now AND #closes > :now' : '#phase = :intake';
    return new TransactWriteCommand({
      TransactItems: [
        {
          ConditionCheck: {
            TableName: this.#table,
            Key: keys.cohort(cohortId),
            ConditionExpression: cohortCondition,
            ExpressionAttributeNames: {
              '#phase': 'phase',
              ...(require === 'window' ? { '#opens': 'intakeOpensAt', '#closes': 'intakeClosesAt' } : {}),
            },
            ExpressionAttributeValues: {
              ':intake': 'intake',
              ...(require === 'window' ? { ':now': at } : {}),
            },
          },
        },
        {
          Update: {
            TableName: this.#table,
            Key: keys.participant(cohortId, application.email),
            UpdateExpression: `SET ${assignments.join(', ')}${removals.length ? ` REMOVE ${removals.join(', ')}` : ''}`,
            ...(isNew ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}),
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        },
        ...(isNew
          ? [
              {
                Put: {
                  TableName: this.#table,
                  Item: { ...keys.link(linkToken), type: 'link', cohortId, email: application.email },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ]
          : []),
      ],
    });
  }

  updateCohort(cohortId: string, patch: CohortPatch, condition: CohortCondition = {}): Promise<boolean> {
    const names: Record<string, string> = { '#updatedAt': 'updatedAt' };
    const values: Record<string, unknown> = { ':now': new Date().toISOString() };
    const assignments = ['#updatedAt = :now'];
    for (const [name, value] of Object.entries(patch)) {
      names[`#${name}`] = name;
      values[`:${name}`] = value;
      assignments.push(`#${name} = :${name}`);
    }
    const conditions = ['attribute_exists(pk)'];
    if (condition.phaseIn) {
      names['#phase'] = 'phase';
      const phases = condition.phaseIn.map((phase, i) => {
        values[`:phase${i}`] = phase;
        return `:phase${i}`;
      });
      conditions.push(`#phase IN (${phases.join(', ')})`);
    }
    if (condition.completedRoundsBelow !== undefined) {
      names['#completedRounds'] = 'completedRounds';
      values[':roundsBelow'] = condition.completedRoundsBelow;
      conditions.push('(attribute_not_exists(#completedRounds) OR #completedRounds < :roundsBelow)');
    }
    return whenConditionHolds(
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.cohort(cohortId),
          UpdateExpression: `SET ${assignments.join(', ')}`,
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
  }

  async getParticipant(cohortId: string, email: string): Promise<Participant | undefined> {
    const { Item } = await this.#db.send(
      new GetCommand({
        TableName: this.#table,
        Key: keys.participant(cohortId, email),
        ConsistentRead: true,
      }),
    );
    return Item ? withoutKeys<Participant>(Item) : undefined;
  }

  async findParticipantByLinkToken(token: string): Promise<Participant | undefined> {
    const { Item } = await this.#db.send(new GetCommand({ TableName: this.#table, Key: keys.link(token) }));
    if (!Item) return undefined;
    return this.getParticipant(String(Item.cohortId), String(Item.email));
  }

  async findCohortIdsOfEmail(email: string): Promise<string[]> {
    const items = await queryAll(this.#db, {
      TableName: this.#table,
      IndexName: tableDesign.indexes[0].indexName,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.personListing(email, '').gsi1pk },
      ProjectionExpression: 'cohortId',
    });
    return items.map((item) => String(item.cohortId));
  }

  /** Sets a timestamp once: returns false when it was already set (the action is idempotent). */
  markParticipant(cohortId: string, email: string, mark: ParticipantMark, now: Date): Promise<boolean> {
    return whenConditionHolds(
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.participant(cohortId, email),
          UpdateExpression: `SET #mark = :now, #updatedAt = :now${mark === 'confirmedAt' ? ', #confirmed = :true' : ''}`,
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#mark)',
          ExpressionAttributeNames: {
            '#mark': mark,
            '#updatedAt': 'updatedAt',
            ...(mark === 'confirmedAt' ? { '#confirmed': 'confirmed' } : {}),
          },
          ExpressionAttributeValues: {
            ':now': now.toISOString(),
            ...(mark === 'confirmedAt' ? { ':true': true } : {}),
          },
        }),
      ),
    );
  }

  clearParticipantMark(cohortId: string, email: string, mark: 'pausedAt', now: Date): Promise<boolean> {
    return whenConditionHolds(
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.participant(cohortId, email),
          UpdateExpression: 'REMOVE #mark SET #updatedAt = :now',
          ConditionExpression: 'attribute_exists(#mark)',
          ExpressionAttributeNames: { '#mark': mark, '#updatedAt': 'updatedAt' },
          ExpressionAttributeValues: { ':now': now.toISOString() },
        }),
      ),
    );
  }

  async listParticipants(cohortId: string): Promise<Participant[]> {
    const items = await queryPrefix(this.#db, this.#table, keys.cohortPk(cohortId), keys.participantPrefix);
    return items.map((item) => withoutKeys<Participant>(item));
  }
}
