import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbCohortStore } from '../../shared/adapters/dynamodb/dynamodb-cohort-store.ts';
import { DynamoDbMatchDraftStore } from '../../shared/adapters/dynamodb/dynamodb-match-draft-store.ts';
import { keys } from '../../shared/adapters/dynamodb/table-design.ts';
import { parseApplicationsCsv } from '../../shared/applications/applications-csv.ts';
import { emptyReviewSettings } from '../../shared/matching/match-draft.ts';
import { parseProgram } from '../../shared/program/load-program.ts';
import { approveDraft } from '../../shared/use-cases/approve-draft.ts';
import { getDraftWithComparison } from '../../shared/use-cases/compare-drafts.ts';
import { createMatchDraft } from '../../shared/use-cases/create-match-draft.ts';
import { forbidPair } from '../../shared/use-cases/forbid-pair.ts';
import { launchCohort } from '../../shared/use-cases/launch-cohort.ts';
import { pinPair } from '../../shared/use-cases/pin-pair.ts';
import { setCapacity } from '../../shared/use-cases/set-capacity.ts';
import { projectRoot } from '../support/cli.ts';
import { createTestTable, fixedClock } from '../support/local-table.ts';
import { startTestApi } from '../support/test-api.ts';

const cohortId = 'review-test';
const program = parseProgram(
  readFileSync(join(projectRoot, 'examples', 'program.yaml'), 'utf8').replace(
    'id: data-careers-spring-2027',
    `id: ${cohortId}`,
  ),
);
const applications = parseApplicationsCsv(
  readFileSync(join(projectRoot, 'examples', 'applications.csv'), 'utf8'),
).rows.flatMap((row) => (row.application ? [row.application] : []));

describe('matching review on DynamoDB Local', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let deps: {
    store: DynamoDbCohortStore;
    drafts: DynamoDbMatchDraftStore;
    clock: ReturnType<typeof fixedClock>;
  };

  beforeAll(async () => {
    table = await createTestTable();
    const clock = fixedClock('2027-01-10T09:00:00Z');
    deps = {
      store: new DynamoDbCohortStore(table.db, table.tableName),
      drafts: new DynamoDbMatchDraftStore(table.db, table.tableName),
      clock,
    };
    await launchCohort(program, deps);
    for (const application of applications) {
      await deps.store.saveApplication({
        cohortId,
        application,
        consentSource: 'import',
        now: clock.now(),
        require: 'phase',
      });
    }
    // Everyone but Sara confirmed by email.
    for (const application of applications) {
      if (application.email === 'sara.johansson@example.com') continue;
      await table.db.send(
        new UpdateCommand({
          TableName: table.tableName,
          Key: keys.participant(cohortId, application.email),
          UpdateExpression: 'SET confirmed = :true',
          ExpressionAttributeValues: { ':true': true },
        }),
      );
    }
  });
  afterAll(() => table.drop());

  it('starts with an empty review', async () => {
    expect(await deps.drafts.getReview(cohortId)).toEqual({
      settings: emptyReviewSettings(),
      version: 0,
      drafts: 0,
    });
  });

  it('drafts the matching of confirmed participants only, numbered from 1', async () => {
    const { draft, comparison } = await createMatchDraft(cohortId, deps);
    expect(draft.number).toBe(1);
    expect(comparison).toBeUndefined();
    expect(draft.summary).toMatchObject({ mentees: 11, mentors: 8, optimal: true });
    const mentees = [...draft.pairs.map((p) => p.mentee), ...draft.unmatched.map((u) => u.mentee)];
    expect(mentees).not.toContain('sara.johansson@example.com');
    expect(await deps.drafts.getDraft(cohortId, 1)).toEqual(draft);
  });

  it('re-runs with a pin, a forbidden pair and a capacity change, and compares with the previous draft', async () => {
    const first = await deps.drafts.getDraft(cohortId, 1);
    const tom = first?.pairs.find((p) => p.mentee === 'tom.hughes@example.com');
    expect(tom?.mentor).toBe('amara.okafor@example.com');

    await forbidPair(
      cohortId,
      { mentee: 'tom.hughes@example.com', mentor: 'amara.okafor@example.com' },
      deps,
    );
    await pinPair(cohortId, { mentee: 'david.cohen@example.com', mentor: 'chen.wei@example.com' }, deps);
    const settings = await setCapacity(cohortId, { mentor: 'sofia.marquez@example.com', capacity: 1 }, deps);
    expect(settings).toEqual({
      pins: [{ mentee: 'david.cohen@example.com', mentor: 'chen.wei@example.com' }],
      forbids: [{ mentee: 'tom.hughes@example.com', mentor: 'amara.okafor@example.com' }],
      capacityOverrides: { 'sofia.marquez@example.com': 1 },
    });

    const { draft, comparison } = await createMatchDraft(cohortId, deps);
    expect(draft.number).toBe(2);
    expect(draft.settings).toEqual(settings);
    const pairOf = (mentee: string) => draft.pairs.find((p) => p.mentee === mentee);
    expect(pairOf('tom.hughes@example.com')?.mentor).not.toBe('amara.okafor@example.com');
    expect(pairOf('david.cohen@example.com')).toMatchObject({ mentor: 'chen.wei@example.com', pinned: true });
    expect(draft.pairs.filter((p) => p.mentor === 'sofia.marquez@example.com')).toHaveLength(1);
    expect(comparison?.changed.map((c) => c.mentee)).toContain('david.cohen@example.com');

    const fetched = await getDraftWithComparison(cohortId, 'latest', undefined, deps);
    expect(fetched).toMatchObject({ draft: { number: 2 }, comparedWith: 1, comparison });
  });

  it('refuses a pin that breaks a rule or names someone in the wrong role', async () => {
    await expect(
      pinPair(cohortId, { mentee: 'kenji.sato@example.com', mentor: 'lukas.becker@example.com' }, deps),
    ).rejects.toThrow(/breaks a rule \(same organization\)/);
    await expect(
      pinPair(cohortId, { mentee: 'lukas.becker@example.com', mentor: 'amara.okafor@example.com' }, deps),
    ).rejects.toThrow(/applied as a mentor, not as a mentee/);
    await expect(
      pinPair(cohortId, { mentee: 'nobody@example.com', mentor: 'amara.okafor@example.com' }, deps),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  it('gives two concurrent drafts different numbers, never the same one', async () => {
    const results = await Promise.allSettled([
      createMatchDraft(cohortId, deps),
      createMatchDraft(cohortId, deps),
    ]);
    const numbers = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.draft.number] : []));
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const r of results)
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'conflict' });
  });

  it('approves exactly one draft; after that nothing changes', async () => {
    const approved = await approveDraft(cohortId, 2, deps);
    expect(approved).toMatchObject({ number: 2, status: 'approved', approvedAt: '2027-01-10T09:00:00.000Z' });
    expect(await deps.drafts.getDraft(cohortId, 2)).toMatchObject({ status: 'approved' });
    expect((await deps.drafts.getReview(cohortId)).approvedDraft).toBe(2);

    await expect(approveDraft(cohortId, 1, deps)).rejects.toThrow(/Draft 2 .* is already approved/);
    await expect(approveDraft(cohortId, 2, deps)).rejects.toMatchObject({ code: 'conflict' });
    await expect(createMatchDraft(cohortId, deps)).rejects.toMatchObject({ code: 'conflict' });
    await expect(
      setCapacity(cohortId, { mentor: 'amara.okafor@example.com', capacity: 1 }, deps),
    ).rejects.toThrow(/already approved/);
    expect(await deps.drafts.getDraft(cohortId, 1)).toMatchObject({ status: 'draft' });
  });

  it('stores a large draft in parts and reads it back whole', async () => {
    const big = 'big-cohort';
    const pairs = Array.from({ length: 3000 }, (_, k) => ({
      mentee: `mentee${k}@example.com`,
      mentor: `mentor${k % 1000}@example.com`,
      score: 88.8,
      reasons: ['both: data engineering, career change', 'mentor 4 years ahead', '8 h working-hours overlap'],
    }));
    const review = await deps.drafts.getReview(big);
    const summary = {
      objective: 'participation' as const,
      mentees: 3000,
      mentors: 1000,
      matched: 3000,
      unmatched: 0,
      totalScore: 266400,
      meanScore: 88.8,
      eligiblePairs: 3000,
      optimal: true,
      solverRounds: 1,
      candidatePairs: 3000,
    };
    await deps.drafts.addDraft(
      {
        cohortId: big,
        createdAt: '2027-01-10T09:00:00.000Z',
        settings: review.settings,
        pairs,
        unmatched: [],
        summary,
      },
      review,
    );
    const stored = await deps.drafts.getDraft(big, 1);
    expect(stored?.pairs).toEqual(pairs);
  });
});

describe('matching review over the HTTP API', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let api: Awaited<ReturnType<typeof startTestApi>>;

  beforeAll(async () => {
    table = await createTestTable();
    api = await startTestApi(table.endpoint, table.tableName);
    const store = new DynamoDbCohortStore(table.db, table.tableName);
    await launchCohort(program, { store, clock: fixedClock('2027-01-10T09:00:00Z') });
  });
  afterAll(async () => {
    await api.stop();
    await table.drop();
  });

  it('creates, reads and approves drafts; bad requests get every problem listed', async () => {
    const created = await api.call('POST', `/cohorts/${cohortId}/drafts`);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ draft: { number: 1, summary: { matched: 0 } } });

    const pin = await api.call('POST', `/cohorts/${cohortId}/pins`, { mentee: 'not-an-email', mentor: 3 });
    expect(pin.status).toBe(400);
    expect(pin.body).toMatchObject({
      error: { issues: [{ path: 'mentee' }, { path: 'mentor' }] },
    });
    const badDraft = await api.call('GET', `/cohorts/${cohortId}/drafts/first`);
    expect(badDraft.status).toBe(400);

    const latest = await api.call('GET', `/cohorts/${cohortId}/drafts/latest`);
    expect(latest).toMatchObject({ status: 200, body: { draft: { number: 1 } } });
    const approved = await api.call('POST', `/cohorts/${cohortId}/drafts/latest/approval`);
    expect(approved).toMatchObject({ status: 200, body: { number: 1 } });
    const again = await api.call('POST', `/cohorts/${cohortId}/drafts/1/approval`);
    expect(again.status).toBe(409);
    const missing = await api.call('GET', `/cohorts/${cohortId}/drafts/7`);
    expect(missing.status).toBe(404);
  });
});
