import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbInboundLog } from '../../shared/adapters/dynamodb/dynamodb-inbound-log.ts';
import { DynamoDbPersonalData } from '../../shared/adapters/dynamodb/dynamodb-personal-data.ts';
import { DynamoDbRematchStore } from '../../shared/adapters/dynamodb/dynamodb-rematch-store.ts';
import { keys } from '../../shared/adapters/dynamodb/table-design.ts';
import type { ReplyContent } from '../../shared/cohorts/answer.ts';
import { type Pair, pairIdOf } from '../../shared/cohorts/pair.ts';
import type { RematchRequest } from '../../shared/cohorts/rematch.ts';
import type { MessageKind } from '../../shared/email/message-kinds.ts';
import type { CohortReportData } from '../../shared/report/cohort-report.ts';
import { pairsCsvHeader, roundsCsvHeader } from '../../shared/report/report-csv.ts';
import { buildCohortReport, type ReportDeps } from '../../shared/use-cases/cohort-report.ts';
import { answersCsvHeader, participantsCsvHeader } from '../../shared/use-cases/personal-data.ts';
import { type SeedPerson, seedCohort } from '../support/cohort-fixture.ts';
import { createTestTable, fixedClock } from '../support/local-table.ts';
import { mailDeps } from '../support/mail-deps.ts';
import { replyContent } from '../support/reply-content.ts';
import { oracleFigures, reportFigures, scanTable } from '../support/report-oracle.ts';
import { startTestApi } from '../support/test-api.ts';

/**
 * The report of a cohort whose items were written through the adapters as the workflow and
 * the inbound pipeline write them — pairs on the ladder, a rematch, survey answers — read
 * through the ports and the HTTP API, and checked against a second computation straight from
 * the table's items.
 */
const domain = 'report.example';
const people: SeedPerson[] = [
  { name: 'Ana Lima', email: `ana@${domain}`, role: 'mentee' },
  { name: 'Ben Okoro', email: `ben@${domain}`, role: 'mentee' },
  { name: 'Chloé Martin', email: `chloe@${domain}`, role: 'mentee' },
  { name: 'Dev Patel', email: `dev@${domain}`, role: 'mentee' },
  { name: 'Max Berg', email: `max@${domain}`, role: 'mentor' },
  { name: 'Eva Novak', email: `eva@${domain}`, role: 'mentor' },
  { name: 'Farid Haddad', email: `farid@${domain}`, role: 'mentor' },
];
const email = (name: string) => `${name}@${domain}`;

describe('the cohort report, from the table', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let deps: ReportDeps;
  let api: Awaited<ReturnType<typeof startTestApi>>;
  let cohortId: string;
  const clock = fixedClock('2027-04-02T09:00:00Z');

  beforeAll(async () => {
    table = await createTestTable();
    deps = {
      ...mailDeps(table, clock),
      inbound: new DynamoDbInboundLog(table.db, table.tableName),
      rematches: new DynamoDbRematchStore(table.db, table.tableName),
      personalData: new DynamoDbPersonalData(table.db, table.tableName),
    };
    const cohort = await seedCohort(deps, {
      id: 'report-cohort',
      people,
      pairs: [
        ['ana', 'max'],
        ['ben', 'eva'],
        ['chloe', 'farid'],
      ].map(([mentee, mentor]) => [email(mentee as string), email(mentor as string)]) as [string, string][],
      programYaml: 'lengthMonths: 2',
    });
    cohortId = cohort.id;
    await deps.store.updateCohort(cohortId, { phase: 'closed', completedRounds: 4 });
    await seedStory(cohortId, deps, table);
    api = await startTestApi(table.endpoint, table.tableName);
  });
  afterAll(async () => {
    await api.stop();
    await table.drop();
  });

  it('agrees with a second computation from the table’s items', async () => {
    const { report } = await buildCohortReport(cohortId, deps);
    const oracle = oracleFigures(await scanTable(table.db, table.tableName), cohortId);
    expect(reportFigures(report)).toEqual(oracle);
    // …and with what the story says.
    expect(report.nps).toEqual({ promoters: 2, passives: 1, detractors: 2, score: 0, responses: 5 });
    expect(report.ladder).toMatchObject({ nudged: 2, atRisk: 1, closedNoFault: 1, rematched: 1 });
    expect(report.rematches).toMatchObject([
      { participant: email('ben'), previousPartner: email('eva'), newPartner: email('farid'), round: 3 },
    ]);
    expect(report.replies).toEqual({ total: 9, reply: 8, auto_reply: 1 });
    expect(report.midpoint.help).toEqual(['A session on salary negotiation.']);
  });

  it('serves the report over the API, as the files `tandem report` writes', async () => {
    const response = await api.call('GET', `/cohorts/${cohortId}/report`);
    expect(response.status).toBe(200);
    const body = response.body as unknown as CohortReportData & { files: Record<string, string> };
    expect(body.report).toEqual({
      ...(await buildCohortReport(cohortId, deps)).report,
      generatedAt: expect.any(String),
    });
    expect(Object.keys(body.files).sort()).toEqual(['pairs.csv', 'report.html', 'report.json', 'rounds.csv']);
    expect((parse(body.files['pairs.csv'] ?? '') as string[][])[0]).toEqual([...pairsCsvHeader]);
    expect(parse(body.files['rounds.csv'] ?? '') as string[][]).toHaveLength(1 + 4);
    expect((parse(body.files['rounds.csv'] ?? '') as string[][])[0]).toEqual([...roundsCsvHeader]);
    expect(body.files['report.html']).toContain('Fixture Program');

    const missing = await api.call('GET', '/cohorts/no-such-cohort/report');
    expect(missing.status).toBe(404);
    expect((missing.body as { error: { message: string } }).error.message).toContain(
      'There is no cohort "no-such-cohort"',
    );
  });

  it('exports the cohort’s records, answers with their words, before the purge', async () => {
    const response = await api.call('GET', `/cohorts/${cohortId}/export`);
    expect(response.status).toBe(200);
    const files = (response.body as { files: Record<string, string> }).files;
    expect(Object.keys(files).sort()).toEqual(['answers.csv', 'pairs.csv', 'participants.csv', 'rounds.csv']);
    const participants = parse(files['participants.csv'] ?? '', { columns: true }) as Record<
      string,
      string
    >[];
    expect(Object.keys(participants[0] ?? {})).toEqual([...participantsCsvHeader]);
    expect(participants.map((p) => p.email).sort()).toEqual(people.map((p) => p.email).sort());
    const answers = parse(files['answers.csv'] ?? '', { columns: true }) as Record<string, string>[];
    expect(Object.keys(answers[0] ?? {})).toEqual([...answersCsvHeader]);
    expect(answers.find((a) => a.email === email('ana') && a.round === '3')).toMatchObject({
      name: 'Ana Lima',
      met: 'true',
      usefulness: '5',
      decision: 'continue',
      replies: 'Yes we met. Really useful so far: 5.',
    });
  });
});

/**
 * What happened in the cohort, written as the workflow and the inbound pipeline write it: four
 * rounds; Ben's pair with Eva went silent and the ladder closed it; Ben got Farid from round 3.
 */
async function seedStory(
  cohortId: string,
  deps: ReportDeps,
  table: Awaited<ReturnType<typeof createTestTable>>,
) {
  const participants = new Map((await deps.store.listParticipants(cohortId)).map((p) => [p.email, p]));
  const idOf = (name: string) => participants.get(email(name))?.participantId ?? '';
  const pairId = (mentee: string, mentor: string) => pairIdOf(cohortId, email(mentee), email(mentor));
  const put = (item: Record<string, unknown>) =>
    table.db.send(new PutCommand({ TableName: table.tableName, Item: item }));
  const pairs = await deps.pairs.listPairs(cohortId);
  const pairOf = (mentee: string) => pairs.find((p) => p.menteeEmail === email(mentee)) as Pair;

  // The ladder: Ben & Eva climbed it to the end; Chloé & Farid were nudged once and recovered.
  await put({
    ...keys.pair(cohortId, pairId('ben', 'eva')),
    type: 'pair',
    ...pairOf('ben'),
    score: 44,
    status: 'ended',
    endedAt: '2027-03-04T10:00:00.000Z',
    endKind: 'no-fault-close',
    endReason: 'no answer from the mentor in 3 check-ins',
    ladder: {
      silentRounds: 3,
      reason: 'no answer from the mentor in 3 check-ins',
      reached: {
        nudged: '2027-02-19T09:00:00Z',
        partnerAsked: '2027-02-26T09:00:00Z',
        atRisk: '2027-03-02T09:00:00Z',
        organizerAlerted: '2027-03-02T09:00:00Z',
        closeOffered: '2027-03-03T09:00:00Z',
        closedNoFault: '2027-03-04T10:00:00Z',
      },
    },
  });
  await put({
    ...keys.pair(cohortId, pairId('chloe', 'farid')),
    type: 'pair',
    ...pairOf('chloe'),
    score: 91,
    ladder: { silentRounds: 0, reached: { nudged: '2027-02-19T09:00:00Z' } },
  });
  await deps.pairs.addPair({
    ...pairOf('ana'),
    pairId: pairId('ben', 'farid'),
    menteeEmail: email('ben'),
    mentorEmail: email('farid'),
    score: 67.5,
    origin: 'rematch',
    startRound: 3,
    createdAt: '2027-03-10T09:00:00.000Z',
  });
  const rematch: RematchRequest = {
    cohortId,
    email: email('ben'),
    role: 'mentee',
    reason: 'no-fault-close',
    status: 'matched',
    queuedAt: '2027-03-04T10:00:00.000Z',
    previousPairId: pairId('ben', 'eva'),
    previousPartner: email('eva'),
    newPairId: pairId('ben', 'farid'),
    newPartner: email('farid'),
    round: 3,
    updatedAt: '2027-03-10T09:00:00.000Z',
  };
  await put({
    pk: keys.cohortPk(cohortId),
    sk: `${keys.rematchPrefix}${rematch.email}#${rematch.previousPairId}`,
    type: 'rematch',
    ...rematch,
  });

  // What the ledger says went out: every round's check-in (or survey) to everyone in a pair then.
  const send = async (name: string, kind: MessageKind, round: number) => {
    const key = { cohortId, recipientId: idOf(name), kind, round };
    const claim = await deps.ledger.claim(key, { now: clock(), leaseMs: 60_000 });
    if (claim.outcome === 'claimed')
      await deps.ledger.markSent(key, claim.claimToken, `ses-${name}`, clock());
  };
  const clock = () => new Date('2027-02-15T09:00:00Z');
  for (const name of ['ana', 'ben', 'chloe', 'max', 'eva', 'farid']) await send(name, 'check-in', 1);
  for (const name of ['ben', 'eva', 'chloe']) await send(name, 'nudge', 1);
  for (const name of ['ana', 'ben', 'chloe', 'max', 'eva', 'farid']) await send(name, 'check-in', 2);
  for (const name of ['ana', 'ben', 'chloe', 'max', 'farid']) await send(name, 'midpoint-survey', 3);
  for (const name of ['ana', 'ben', 'chloe', 'max', 'farid']) await send(name, 'closeout-survey', 4);
  // A claim that never went out is not a message sent.
  await deps.ledger.claim(
    { cohortId, recipientId: idOf('dev'), kind: 'application-received', round: 0 },
    { now: clock(), leaseMs: 60_000 },
  );

  // The answers, as the inbound pipeline records them.
  let messages = 0;
  const reply = (name: string, round: number, content: Partial<ReplyContent>, text: string) =>
    deps.answers.recordReply({
      cohortId,
      round,
      participantId: idOf(name),
      email: email(name),
      content: replyContent(content),
      messageId: `<m${++messages}@${domain}>`,
      receivedAt: '2027-02-16T09:00:00.000Z',
      text,
      inbound: {
        cohortId,
        messageId: `<m${messages}@${domain}>`,
        kind: 'reply',
        at: new Date('2027-02-16T09:00:00Z'),
      },
    });
  await reply(
    'ana',
    1,
    { met: true, topics: ['SQL', 'career change'], rating: 4 },
    'Yes, SQL and career change. 4',
  );
  await reply('max', 1, { met: true }, 'Yes we met.');
  await reply('chloe', 1, { met: false }, 'Not yet.');
  await reply('ana', 2, { met: true, topics: ['interviewing'], rating: 5 }, 'Yes, interviewing. 5');
  await reply(
    'ana',
    3,
    { met: true, survey: { usefulness: 5, decision: 'continue' } },
    'Yes we met. Really useful so far: 5.',
  );
  await reply(
    'ben',
    3,
    {
      met: true,
      survey: { usefulness: 3, decision: 'change-focus', help: 'A session on salary negotiation.' },
    },
    'Met Farid once. 3. A session on salary negotiation.',
  );
  await reply('ana', 4, { rating: 5, survey: { nps: 10 } }, '5, and 10: I would recommend it.');
  await reply('ben', 4, { rating: 4, survey: { nps: 9 } }, '4. 9.');
  // An out-of-office counts as a message received, never as an answer.
  await deps.inbound.record({
    cohortId,
    messageId: '<ooo@report.example>',
    kind: 'auto_reply',
    outcome: 'auto_reply',
    at: new Date('2027-03-30T09:00:00Z'),
  });
  // Chloé, Max and Farid answer only the recommendation question of the close-out.
  for (const [name, nps] of [
    ['chloe', 3],
    ['max', 7],
    ['farid', 5],
  ] as const) {
    await deps.answers.recordReply({
      cohortId,
      round: 4,
      participantId: idOf(name),
      email: email(name),
      content: replyContent({ survey: { nps } }),
      messageId: `<close-${name}@${domain}>`,
      receivedAt: '2027-03-30T09:00:00.000Z',
      text: `${nps}`,
    });
  }
}
