import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Application } from '../../applications/application-schema.ts';
import { applicationCsvColumns } from '../../applications/application-schema.ts';
import type { Cohort, Participant, ParticipantMark } from '../../cohorts/cohort.ts';
import { conflict } from '../../errors.ts';
import {
  type CohortCondition,
  type CohortPatch,
  type CohortStore,
  IntakeClosedError,
  IntakeFullError,
  type SaveApplicationInput,
} from '../../ports.ts';
import { randomToken } from '../../random-token.ts';
import { freeingAnIntakePlace } from './intake-places.ts';
import { keys, tableDesign } from './table-design.ts';
import {
  cancellationReasons,
  queryAll,
  queryPrefix,
  whenConditionHolds,
  withoutKeys,
} from './table-helpers.ts';

const participantIdLength = 12;
/** A change's confirmation link works this long. */
const changeLinkDays = 14;
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

  async listCohorts(): Promise<Cohort[]> {
    const items = await queryAll(this.#db, {
      TableName: this.#table,
      IndexName: tableDesign.indexes[0].indexName,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.cohortListing('', '').gsi1pk },
    });
    return items.map((item) => withoutKeys<Cohort>(item));
  }

  /**
   * One transaction checks the cohort's intake and writes the application, so an application
   * can never land after intake closed. The first attempt insists the application is new (and,
   * from the form, that there is room among the unconfirmed); if only that condition fails,
   * the second attempt updates it in place, or, from the form, records the change to confirm.
   */
  async saveApplication(input: SaveApplicationInput): Promise<{ created: boolean }> {
    try {
      await this.#db.send(this.#createTransaction(input));
      return { created: true };
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (reasons[0] === 'ConditionalCheckFailed') throw new IntakeClosedError();
      if (reasons[1] !== 'ConditionalCheckFailed') {
        if (reasons[3] === 'ConditionalCheckFailed') throw new IntakeFullError();
        throw error;
      }
    }
    try {
      await this.#db.send(this.#changeTransaction(input));
      return { created: false };
    } catch (error) {
      if (cancellationReasons(error)[0] === 'ConditionalCheckFailed') throw new IntakeClosedError();
      throw error;
    }
  }

  #intakeCheck(cohortId: string, require: SaveApplicationInput['require'], at: string) {
    return {
      ConditionCheck: {
        TableName: this.#table,
        Key: keys.cohort(cohortId),
        ConditionExpression:
          require === 'window'
            ? '#phase = :intake AND #opens <= :now AND #closes > :now'
            : '#phase = :intake',
        ExpressionAttributeNames: {
          '#phase': 'phase',
          ...(require === 'window' ? { '#opens': 'intakeOpensAt', '#closes': 'intakeClosesAt' } : {}),
        },
        ExpressionAttributeValues: { ':intake': 'intake', ...(require === 'window' ? { ':now': at } : {}) },
      },
    };
  }

  #createTransaction(input: SaveApplicationInput) {
    const { cohortId, application, consentSource, now, require, fromForm } = input;
    const at = now.toISOString();
    const linkToken = randomToken(linkTokenLength);
    const update = applicationUpdate(application, {
      ...keys.personListing(application.email, cohortId),
      type: 'participant',
      cohortId,
      consent: { source: consentSource, at },
      updatedAt: at,
    });
    update.set.push(
      '#confirmed = :false',
      '#createdAt = :now',
      '#participantId = :participantId',
      '#linkToken = :linkToken',
    );
    Object.assign(update.names, {
      '#confirmed': 'confirmed',
      '#createdAt': 'createdAt',
      '#participantId': 'participantId',
      '#linkToken': 'linkToken',
    });
    Object.assign(update.values, {
      ':false': false,
      ':now': at,
      ':participantId': randomToken(participantIdLength),
      ':linkToken': linkToken,
    });
    return new TransactWriteCommand({
      TransactItems: [
        this.#intakeCheck(cohortId, require, at),
        {
          Update: {
            TableName: this.#table,
            Key: keys.participant(cohortId, application.email),
            ...expressionOf(update),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: this.#table,
            Item: { ...keys.link(linkToken), type: 'link', cohortId, email: application.email },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...(fromForm
          ? [
              {
                Update: {
                  TableName: this.#table,
                  Key: keys.intakeCounts(cohortId),
                  UpdateExpression: 'ADD unconfirmed :one',
                  ConditionExpression: 'attribute_not_exists(unconfirmed) OR unconfirmed < :limit',
                  ExpressionAttributeValues: { ':one': 1, ':limit': fromForm.unconfirmedLimit },
                },
              },
            ]
          : []),
      ],
    });
  }

  /** An existing application: replaced (an organizer's import), or given a change to confirm (the form). */
  #changeTransaction({ cohortId, application, consentSource, now, require, fromForm }: SaveApplicationInput) {
    const at = now.toISOString();
    const key = keys.participant(cohortId, application.email);
    if (!fromForm) {
      const update = applicationUpdate(application, {
        consent: { source: consentSource, at },
        updatedAt: at,
      });
      return new TransactWriteCommand({
        TransactItems: [
          this.#intakeCheck(cohortId, require, at),
          { Update: { TableName: this.#table, Key: key, ...expressionOf(update) } },
        ],
      });
    }
    const { change } = fromForm;
    return new TransactWriteCommand({
      TransactItems: [
        this.#intakeCheck(cohortId, require, at),
        {
          Update: {
            TableName: this.#table,
            Key: key,
            UpdateExpression: 'SET pendingChange = :change, changeRequests = :number, updatedAt = :now',
            // Numbered from the participant as read: a concurrent change makes this one fail.
            ConditionExpression:
              'attribute_exists(pk) AND (attribute_not_exists(changeRequests) OR changeRequests < :number)',
            ExpressionAttributeValues: { ':change': change, ':now': at, ':number': change.number },
          },
        },
        {
          Put: {
            TableName: this.#table,
            Item: {
              ...keys.link(change.token),
              // Listed for the purge and erasure: once made or replaced, no item points to it.
              ...keys.changeLinkListing(cohortId, change.token),
              type: 'link',
              cohortId,
              email: application.email,
              change: change.number,
              expiresAt: Math.floor(now.getTime() / 1000) + changeLinkDays * 86_400,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
    });
  }

  async applyChange(
    cohortId: string,
    email: string,
    number: number,
    now: Date,
  ): Promise<'applied' | 'stale' | 'closed'> {
    const participant = await this.getParticipant(cohortId, email);
    const change = participant?.pendingChange;
    if (!participant || change?.number !== number) return 'stale';
    const at = now.toISOString();
    const update = applicationUpdate({ ...change.application, email }, { updatedAt: at });
    update.set.push('#confirmed = :true', '#confirmedAt = if_not_exists(#confirmedAt, :now)');
    update.remove.push('pendingChange');
    Object.assign(update.names, {
      '#confirmed': 'confirmed',
      '#confirmedAt': 'confirmedAt',
      '#number': 'number',
    });
    Object.assign(update.values, { ':true': true, ':now': at, ':number': number });
    try {
      await freeingAnIntakePlace(this.#db, this.#table, participant, [
        this.#intakeCheck(cohortId, 'phase', at),
        {
          Update: {
            TableName: this.#table,
            Key: keys.participant(cohortId, email),
            ...expressionOf(update),
            ConditionExpression: 'pendingChange.#number = :number',
          },
        },
      ]);
      return 'applied';
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (reasons[0] === 'ConditionalCheckFailed') return 'closed';
      if (reasons[1] === 'ConditionalCheckFailed') return 'stale';
      throw error;
    }
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

  /** A participant's own link token only: a change's token unsubscribes nobody. */
  async findParticipantByLinkToken(token: string): Promise<Participant | undefined> {
    const { Item } = await this.#db.send(new GetCommand({ TableName: this.#table, Key: keys.link(token) }));
    if (!Item || Item.change !== undefined) return undefined;
    return this.getParticipant(String(Item.cohortId), String(Item.email));
  }

  async findLink(
    token: string,
    now: Date,
  ): Promise<{ participant: Participant; change?: number } | undefined> {
    const { Item } = await this.#db.send(new GetCommand({ TableName: this.#table, Key: keys.link(token) }));
    // TTL removes an expired change link within days: until then it is refused here.
    if (!Item || (Item.expiresAt !== undefined && Number(Item.expiresAt) * 1000 <= now.getTime()))
      return undefined;
    const participant = await this.getParticipant(String(Item.cohortId), String(Item.email));
    if (!participant) return undefined;
    return { participant, ...(Item.change !== undefined ? { change: Number(Item.change) } : {}) };
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
  async markParticipant(cohortId: string, email: string, mark: ParticipantMark, now: Date): Promise<boolean> {
    if (mark === 'confirmedAt') return this.#confirm(cohortId, email, now);
    return whenConditionHolds(
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.participant(cohortId, email),
          UpdateExpression: 'SET #mark = :now, #updatedAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#mark)',
          ExpressionAttributeNames: { '#mark': mark, '#updatedAt': 'updatedAt' },
          ExpressionAttributeValues: { ':now': now.toISOString() },
        }),
      ),
    );
  }

  /** Confirms once, and frees a place among the form's unconfirmed applicants. */
  async #confirm(cohortId: string, email: string, now: Date): Promise<boolean> {
    const participant = await this.getParticipant(cohortId, email);
    if (!participant || participant.confirmedAt) return false;
    try {
      await freeingAnIntakePlace(this.#db, this.#table, participant, [
        {
          Update: {
            TableName: this.#table,
            Key: keys.participant(cohortId, email),
            UpdateExpression: 'SET confirmedAt = :now, updatedAt = :now, confirmed = :true',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(confirmedAt)',
            ExpressionAttributeValues: { ':now': now.toISOString(), ':true': true },
          },
        },
      ]);
      return true;
    } catch (error) {
      if (cancellationReasons(error)[0] === 'ConditionalCheckFailed') return false;
      throw error;
    }
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

interface UpdateParts {
  set: string[];
  remove: string[];
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/** The update that makes the item hold this application: its fields set, those it leaves out removed. */
function applicationUpdate(application: Application, extra: Record<string, unknown>): UpdateParts {
  const parts: UpdateParts = {
    set: [],
    remove: [],
    names: { '#email': 'email' },
    values: { ':email': application.email },
  };
  parts.set.push('#email = :email');
  const fields: Record<string, unknown> = { ...extra };
  for (const column of applicationCsvColumns) {
    if (column === 'email') continue;
    const value = application[column];
    if (value === undefined) {
      parts.names[`#r${parts.remove.length}`] = column;
      parts.remove.push(`#r${parts.remove.length}`);
    } else fields[column] = value;
  }
  for (const [index, [name, value]] of Object.entries(fields).entries()) {
    parts.names[`#s${index}`] = name;
    parts.values[`:s${index}`] = value;
    parts.set.push(`#s${index} = :s${index}`);
  }
  return parts;
}

function expressionOf({ set, remove, names, values }: UpdateParts) {
  return {
    UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}
