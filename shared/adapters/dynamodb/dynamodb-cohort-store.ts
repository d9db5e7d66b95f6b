import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { applicationCsvColumns } from '../../applications/application-schema.ts';
import type { Cohort, Participant } from '../../cohorts/cohort.ts';
import { conflict } from '../../errors.ts';
import { type CohortStore, IntakeClosedError, type SaveApplicationInput } from '../../ports.ts';
import { cancellationReasons, withoutKeys } from './items.ts';
import { keys } from './table-design.ts';

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
    values[':email'] = application.email;
    assignments.push(
      '#email = :email',
      '#confirmed = if_not_exists(#confirmed, :false)',
      '#createdAt = if_not_exists(#createdAt, :now)',
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
      ],
    });
  }

  async listParticipants(cohortId: string): Promise<Participant[]> {
    const participants: Participant[] = [];
    const pages = paginateQuery(
      { client: this.#db },
      {
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.cohortPk(cohortId), ':prefix': keys.participantPrefix },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) participants.push(withoutKeys<Participant>(item));
    }
    return participants;
  }
}
