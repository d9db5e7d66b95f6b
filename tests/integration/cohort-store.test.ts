import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbCohortStore } from '../../shared/adapters/dynamodb/dynamodb-cohort-store.ts';
import { DynamoDbReplyKeys } from '../../shared/adapters/dynamodb/dynamodb-reply-keys.ts';
import { applicationSchema } from '../../shared/applications/application-schema.ts';
import type { Cohort } from '../../shared/cohorts/cohort.ts';
import { IntakeClosedError } from '../../shared/ports.ts';
import { parseProgram } from '../../shared/program/load-program.ts';
import { launchCohort } from '../../shared/use-cases/launch-cohort.ts';
import { createTestTable, fixedClock } from '../support/local-table.ts';

const program = parseProgram(`
name: Store Test
id: store-test
organizers: [{ name: Ada, email: ada@example.org }]
sender: { address: mentoring@example.org }
timezone: Europe/Berlin
intake: { opens: 2027-01-04, closes: 2027-01-24 }
start: 2027-02-01
`);

const application = applicationSchema.parse({
  email: 'tom@example.com',
  name: 'Tom',
  role: 'mentee',
  organization: 'Contoso',
  years_experience: 2,
  topics: 'data engineering',
  timezone: 'Europe/London',
});

describe('DynamoDbCohortStore on DynamoDB Local', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let store: DynamoDbCohortStore;
  let cohort: Cohort;
  const clock = fixedClock('2027-01-10T09:00:00Z');

  beforeAll(async () => {
    table = await createTestTable();
    store = new DynamoDbCohortStore(table.db, table.tableName);
    cohort = await launchCohort(program, { store, clock });
  });
  afterAll(() => table.drop());

  it('stores the cohort with its intake window in the program time zone', async () => {
    expect(await store.getCohort('store-test')).toEqual(cohort);
    expect(cohort.intakeOpensAt).toBe('2027-01-03T23:00:00.000Z');
    expect(cohort.intakeClosesAt).toBe('2027-01-24T23:00:00.000Z');
  });

  it('refuses a second cohort with the same id (conditional put)', async () => {
    await expect(launchCohort(program, { store, clock })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('upserts an application: one item per email, created once then updated', async () => {
    const save = (app = application, at = '2027-01-10T09:00:00Z') =>
      store.saveApplication({
        cohortId: 'store-test',
        application: app,
        consentSource: 'applicant',
        now: new Date(at),
        require: 'window',
      });
    expect(await save()).toEqual({ created: true });
    const { organization: _dropped, ...withoutOrganization } = application;
    expect(await save({ ...withoutOrganization, topics: ['career change'] }, '2027-01-11T09:00:00Z')).toEqual(
      {
        created: false,
      },
    );
    const participants = await store.listParticipants('store-test');
    expect(participants).toHaveLength(1);
    expect(participants[0]).toMatchObject({
      email: 'tom@example.com',
      topics: ['career change'],
      confirmed: false,
      createdAt: '2027-01-10T09:00:00.000Z',
      updatedAt: '2027-01-11T09:00:00.000Z',
      consent: { source: 'applicant', at: '2027-01-11T09:00:00.000Z' },
    });
    expect(participants[0]).not.toHaveProperty('organization');
  });

  it('refuses applications outside the intake window, atomically with the write', async () => {
    for (const at of ['2027-01-03T22:59:59Z', '2027-01-24T23:00:00Z']) {
      await expect(
        store.saveApplication({
          cohortId: 'store-test',
          application: { ...application, email: 'late@example.com' },
          consentSource: 'applicant',
          now: new Date(at),
          require: 'window',
        }),
      ).rejects.toBeInstanceOf(IntakeClosedError);
    }
    const emails = (await store.listParticipants('store-test')).map((p) => p.email);
    expect(emails).not.toContain('late@example.com');
  });

  it('lets an organizer import after the dates, but not into an unknown cohort', async () => {
    const late = { ...application, email: 'imported@example.com' };
    const input = {
      application: late,
      consentSource: 'import' as const,
      now: new Date('2027-01-26T09:00:00Z'),
    };
    expect(await store.saveApplication({ ...input, cohortId: 'store-test', require: 'phase' })).toEqual({
      created: true,
    });
    await expect(
      store.saveApplication({ ...input, cohortId: 'nope', require: 'phase' }),
    ).rejects.toBeInstanceOf(IntakeClosedError);
    expect(await store.getCohort('nope')).toBeUndefined();
  });

  it('lists every participant across query pages', async () => {
    const many = Array.from({ length: 60 }, (_, i) => ({
      ...application,
      email: `bulk${i}@example.com`,
      topics: Array.from({ length: 10 }, (_, t) => `topic ${t} ${'x'.repeat(60)}`),
    }));
    for (const app of many) {
      await store.saveApplication({
        cohortId: 'store-test',
        application: app,
        consentSource: 'import',
        now: new Date('2027-01-12T09:00:00Z'),
        require: 'phase',
      });
    }
    expect((await store.listParticipants('store-test')).length).toBe(62);
  });
});

describe('DynamoDbReplyKeys on DynamoDB Local', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let replyKeys: DynamoDbReplyKeys;
  beforeAll(async () => {
    table = await createTestTable();
    replyKeys = new DynamoDbReplyKeys(table.db, table.tableName);
  });
  afterAll(() => table.drop());

  const target = (n: number, round = 1) => ({
    cohortId: 'keys-test',
    participantId: `p-${n}`,
    email: `person${n}@example.org`,
    round,
  });

  it('gives a batch its keys: existing ones kept, missing ones created in batches, each resolving to its target', async () => {
    const first = await replyKeys.replyKeyFor(target(0));
    // 30 targets: more than one BatchWriteItem (25 items, two per key) holds; one listed twice.
    const targets = [...Array.from({ length: 30 }, (_, n) => target(n)), target(7)];
    const found = await replyKeys.replyKeysFor(targets);
    expect(found[0]).toBe(first);
    expect(found[30]).toBe(found[7]);
    expect(new Set(found).size).toBe(30);
    for (const [index, key] of found.entries()) {
      expect(await replyKeys.resolve(key)).toEqual(targets[index]);
    }
    // Asked again (a re-planned wave): the same keys, and the same as one at a time.
    expect(await replyKeys.replyKeysFor(targets)).toEqual(found);
    expect(await replyKeys.replyKeyFor(target(12))).toBe(found[12]);
    // Another round is another key.
    expect(await replyKeys.replyKeysFor([target(12, 2)])).not.toEqual([found[12]]);
  });
});
