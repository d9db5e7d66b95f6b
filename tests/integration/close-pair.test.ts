import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbRematchStore } from '../../shared/adapters/dynamodb/dynamodb-rematch-store.ts';
import { pairIdOf } from '../../shared/cohorts/pair.ts';
import { TandemError } from '../../shared/errors.ts';
import { type ClosePairDeps, closePair } from '../../shared/use-cases/close-pair.ts';
import { type SeedPerson, seedCohort } from '../support/cohort-fixture.ts';
import { createTestTable, fixedClock } from '../support/local-table.ts';
import { mailDeps } from '../support/mail-deps.ts';

/**
 * `closePair` on DynamoDB Local: one pair ends, at no one's fault, and whoever it leaves
 * behind waits in the rematch queue — once, however often it runs, and whatever a crash left.
 */
const domain = 'close.example';
const email = (name: string) => `${name}@${domain}`;
const people: SeedPerson[] = [
  { name: 'Ana Lima', email: email('ana'), role: 'mentee' },
  { name: 'Ben Okoro', email: email('ben'), role: 'mentee' },
  { name: 'Chloé Martin', email: email('chloe'), role: 'mentee' },
  { name: 'Dev Patel', email: email('dev'), role: 'mentee' },
  { name: 'Max Berg', email: email('max'), role: 'mentor' },
  { name: 'Eva Novak', email: email('eva'), role: 'mentor' },
  { name: 'Farid Haddad', email: email('farid'), role: 'mentor' },
  { name: 'Gita Rao', email: email('gita'), role: 'mentor' },
];
const pairs: [string, string][] = [
  ['ana', 'max'],
  ['ben', 'eva'],
  ['chloe', 'farid'],
  ['dev', 'gita'],
].map(([mentee, mentor]) => [email(mentee as string), email(mentor as string)]);

describe('closing a pair', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let deps: ClosePairDeps;
  let cohortId: string;
  const pairId = (mentee: string, mentor: string) => pairIdOf(cohortId, email(mentee), email(mentor));
  const queueOf = async (pair: string) =>
    (await deps.rematches.listRematches(cohortId)).filter((r) => r.previousPairId === pair);

  beforeAll(async () => {
    table = await createTestTable();
    deps = {
      ...mailDeps(table, fixedClock('2027-03-01T10:00:00Z')),
      rematches: new DynamoDbRematchStore(table.db, table.tableName),
    };
    cohortId = (await seedCohort(deps, { id: 'close-cohort', people, pairs })).id;
  });
  afterAll(() => table.drop());

  it('ends the pair the ladder closes and queues the partner left behind, not the silent side', async () => {
    const result = await closePair(
      {
        cohortId,
        pairId: pairId('ana', 'max'),
        by: 'ladder',
        reason: 'no answer from the mentor in 4 check-ins',
        leaving: email('max'),
      },
      deps,
    );
    expect(result.closed).toBe(true);
    expect(result.queued.map((r) => r.email)).toEqual([email('ana')]);

    const pair = await deps.pairs.getPair(cohortId, pairId('ana', 'max'));
    expect(pair).toMatchObject({
      status: 'ended',
      endKind: 'no-fault-close',
      endReason: 'no answer from the mentor in 4 check-ins',
      endedAt: '2027-03-01T10:00:00.000Z',
      ladder: { rung: 'closedNoFault', reached: { closedNoFault: '2027-03-01T10:00:00.000Z' } },
    });
    expect(await queueOf(pairId('ana', 'max'))).toEqual([
      {
        cohortId,
        email: email('ana'),
        role: 'mentee',
        reason: 'no-fault-close',
        status: 'queued',
        queuedAt: '2027-03-01T10:00:00.000Z',
        previousPairId: pairId('ana', 'max'),
        previousPartner: email('max'),
        updatedAt: '2027-03-01T10:00:00.000Z',
      },
    ]);
    const notices = await deps.notices.list(cohortId);
    expect(notices.filter((n) => n.kind === 'pair-closed').map((n) => n.message)).toEqual([
      'The pair Ana Lima & Max Berg ended (no answer from the mentor in 4 check-ins), at no one’s fault. Ana Lima waits for a new partner.',
    ]);
  });

  it('is idempotent: a rerun ends nothing twice, queues nobody twice and posts no second notice', async () => {
    const again = await closePair(
      { cohortId, pairId: pairId('ana', 'max'), by: 'ladder', reason: 'again', leaving: email('max') },
      deps,
    );
    expect(again).toMatchObject({ closed: false, queued: [] });
    expect(again.pair.endReason).toBe('no answer from the mentor in 4 check-ins');
    expect(await queueOf(pairId('ana', 'max'))).toHaveLength(1);
    expect((await deps.notices.list(cohortId)).filter((n) => n.kind === 'pair-closed')).toHaveLength(1);
  });

  it('finishes what a crash left: a pair ended without its queue gets it', async () => {
    const id = pairId('ben', 'eva');
    await deps.pairs.endPair(
      cohortId,
      id,
      'no answer from the mentee in 4 check-ins',
      new Date(),
      'no-fault-close',
    );
    const result = await closePair(
      {
        cohortId,
        pairId: id,
        by: 'ladder',
        reason: 'no answer from the mentee in 4 check-ins',
        leaving: email('ben'),
      },
      deps,
    );
    expect(result.closed).toBe(false);
    expect(result.queued.map((r) => [r.email, r.reason])).toEqual([[email('eva'), 'no-fault-close']]);
    expect((await deps.pairs.getPair(cohortId, id))?.ladder?.reached.closedNoFault).toBeDefined();
  });

  it('queues both sides of a pair an organizer closes, except one who left the program', async () => {
    await deps.store.markParticipant(cohortId, email('chloe'), 'exitedAt', new Date());
    const result = await closePair(
      { cohortId, pairId: pairId('chloe', 'farid'), by: 'organizer', reason: 'closed by Grace Hopper' },
      deps,
    );
    expect(result.queued.map((r) => [r.email, r.role, r.reason, r.previousPartner])).toEqual([
      [email('farid'), 'mentor', 'organizer', email('chloe')],
    ]);
    expect((await deps.pairs.getPair(cohortId, pairId('chloe', 'farid')))?.endKind).toBe('organizer');
  });

  it('ends a pair well at the mid-point: nobody is queued unless asked', async () => {
    const result = await closePair(
      {
        cohortId,
        pairId: pairId('dev', 'gita'),
        by: 'mid-point',
        reason: 'both chose to end at the mid-point',
      },
      deps,
    );
    expect(result).toMatchObject({ closed: true, queued: [] });
    const pair = await deps.pairs.getPair(cohortId, pairId('dev', 'gita'));
    expect(pair?.endKind).toBe('midpoint');
    expect(pair?.ladder).toBeUndefined();
    expect(await queueOf(pairId('dev', 'gita'))).toEqual([]);
  });

  it('refuses a pair that does not exist, saying how to find the ids', async () => {
    const error = await closePair({ cohortId, pairId: 'nope', by: 'organizer', reason: 'x' }, deps).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TandemError);
    expect((error as TandemError).code).toBe('not_found');
    expect((error as TandemError).message).toBe(
      `There is no pair "nope" in cohort "${cohortId}". List the pairs and their ids with: tandem pairs ${cohortId}`,
    );
  });
});
