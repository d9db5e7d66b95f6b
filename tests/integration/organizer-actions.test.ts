import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pairIdOf } from '../../shared/cohorts/pair.ts';
import { seedCohort } from '../support/cohort-fixture.ts';
import { createTestTable, fixedClock } from '../support/local-table.ts';
import { capturedEmails, mailDeps } from '../support/mail-deps.ts';
import { replyContent } from '../support/reply-content.ts';
import { startTestApi } from '../support/test-api.ts';

const domain = 'actions.example';
const at = (name: string) => `${name}@${domain}`;
const person = (name: string, role: 'mentor' | 'mentee') => ({
  name: `${name[0]?.toUpperCase()}${name.slice(1)} Actions`,
  email: at(name),
  role,
});
const cohortId = 'actions-api';
const grace = `grace@${cohortId}.example`;
const pairOf = (mentee: string, mentor: string) => pairIdOf(cohortId, at(mentee), at(mentor));
const subjectsSince = async (recipients: string[], before: number) =>
  (await capturedEmails(recipients))
    .slice(before)
    .map((e) => [e.destination.to[0]?.replace(/^.*<([^>]+)>$/, '$1'), e.subject])
    .sort();

describe('organizer actions on pairs over the HTTP API (tandem pairs, nudge, close-pair, rematch, approve-rematch)', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let api: Awaited<ReturnType<typeof startTestApi>>;
  let deps: ReturnType<typeof mailDeps>;

  beforeAll(async () => {
    table = await createTestTable();
    api = await startTestApi(table.endpoint, table.tableName);
    deps = mailDeps(table, fixedClock(new Date().toISOString()));
    await seedCohort(deps, {
      id: cohortId,
      people: [
        person('ana', 'mentee'),
        person('ben', 'mentee'),
        person('cleo', 'mentee'),
        person('dev', 'mentor'),
        person('eve', 'mentor'),
        person('finn', 'mentor'),
        person('gus', 'mentor'),
      ],
      pairs: [
        [at('ana'), at('dev')],
        [at('ben'), at('eve')],
        [at('cleo'), at('finn')],
      ],
      programYaml: 'mentorCapacity: 1',
    });
    // Check-in 1 has gone out: Ana met Dev; Cleo and Finn have been silent long enough for the ladder.
    await deps.store.updateCohort(cohortId, { phase: 'running', completedRounds: 1 });
    const ana = await deps.store.getParticipant(cohortId, at('ana'));
    await deps.answers.recordReply({
      cohortId,
      round: 1,
      participantId: ana?.participantId ?? '',
      email: at('ana'),
      content: replyContent({ met: true, topics: ['SQL'], rating: 4 }),
      messageId: '<ana-1@actions.example>',
      receivedAt: '2027-02-03T10:00:00.000Z',
      text: 'yes, we met',
    });
    await deps.pairs.setLadder(cohortId, pairOf('cleo', 'finn'), {
      rung: 'atRisk',
      reason: 'no meeting reported in 3 check-ins',
      silentRounds: 3,
      reached: { nudged: '2027-02-05T09:00:00.000Z', atRisk: '2027-03-01T09:00:00.000Z' },
    });
  });
  afterAll(async () => {
    await api.stop();
    await table.drop();
  });

  it('lists every pair with status, ladder rung, last meeting and last answer; --at-risk only the flagged ones', async () => {
    const all = await api.call('GET', `/cohorts/${cohortId}/pairs`);
    expect(all.status).toBe(200);
    const pairs = all.body.pairs as Record<string, unknown>[];
    expect(pairs.map((p) => p.pairId)).toEqual([
      pairOf('cleo', 'finn'),
      pairOf('ana', 'dev'),
      pairOf('ben', 'eve'),
    ]);
    expect(pairs[0]).toMatchObject({
      status: 'active',
      atRisk: true,
      rung: 'atRisk',
      reason: 'no meeting reported in 3 check-ins',
      lastMeeting: null,
      lastAnswer: null,
    });
    expect(pairs[1]).toMatchObject({
      mentee: { name: 'Ana Actions', email: at('ana') },
      mentor: { name: 'Dev Actions', email: at('dev') },
      atRisk: false,
      rung: null,
      lastMeeting: { round: 1 },
      lastAnswer: { round: 1, from: at('ana') },
    });

    const atRisk = await api.call('GET', `/cohorts/${cohortId}/pairs?atRisk=true`);
    expect((atRisk.body.pairs as { pairId: string }[]).map((p) => p.pairId)).toEqual([
      pairOf('cleo', 'finn'),
    ]);
    const wrong = await api.call('GET', `/cohorts/${cohortId}/pairs?atRisk=maybe`);
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.body)).toContain('must be true or false');
  });

  it('nudges both sides of one pair once per check-in', async () => {
    const before = (await capturedEmails([at('ben'), at('eve')])).length;
    const first = await api.call('POST', `/cohorts/${cohortId}/pairs/${pairOf('ben', 'eve')}/nudge`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ round: 1, nudged: [at('ben'), at('eve')].sort() });
    expect(await subjectsSince([at('ben'), at('eve')], before)).toEqual([
      [at('ben'), 'How is it going with Eve?'],
      [at('eve'), 'How is it going with Ben?'],
    ]);
    const again = await api.call('POST', `/cohorts/${cohortId}/pairs/${pairOf('ben', 'eve')}/nudge`);
    expect(again.body).toMatchObject({ nudged: [] });
    expect(await subjectsSince([at('ben'), at('eve')], before)).toHaveLength(2);

    expect((await api.call('POST', `/cohorts/${cohortId}/pairs/AAAAAAAAAAAAAAAA/nudge`)).status).toBe(404);
    const malformed = await api.call('POST', `/cohorts/${cohortId}/pairs/not-a-pair/nudge`);
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(malformed.body)).toContain('tandem pairs COHORT');
  });

  it('closes a pair at no one’s fault: both sides queued, the mentee proposed the one free mentor', async () => {
    const closed = await api.call('POST', `/cohorts/${cohortId}/pairs/${pairOf('cleo', 'finn')}/close`, {
      reason: 'they never managed to meet',
    });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({
      closed: true,
      pair: { status: 'ended', endKind: 'organizer', endReason: 'they never managed to meet' },
      proposals: { proposed: [{ mentee: at('cleo'), mentor: at('gus'), round: 2 }], approved: [] },
    });
    expect((closed.body.queued as { email: string }[]).map((r) => r.email).sort()).toEqual([
      at('cleo'),
      at('finn'),
    ]);
    const again = await api.call('POST', `/cohorts/${cohortId}/pairs/${pairOf('cleo', 'finn')}/close`, {});
    expect(again.body).toMatchObject({ closed: false, queued: [] });
    expect(
      (await api.call('POST', `/cohorts/${cohortId}/pairs/${pairOf('ana', 'dev')}/close`, { reason: '' }))
        .status,
    ).toBe(400);
  });

  it('rematches a participant: their pair ends and they are proposed a free mentor who was never their partner', async () => {
    const result = await api.call('POST', `/cohorts/${cohortId}/rematches`, { participant: at('ana') });
    expect(result.status).toBe(200);
    // Gus is proposed to Cleo already; Dev was Ana's partner: Finn's freed place is hers.
    expect(result.body).toMatchObject({
      proposals: { proposed: [{ mentee: at('ana'), mentor: at('finn') }] },
    });
    const bad = await api.call('POST', `/cohorts/${cohortId}/rematches`, { participant: 'nobody' });
    expect(bad.status).toBe(400);
    const unknown = await api.call('POST', `/cohorts/${cohortId}/rematches`, { participant: at('zoe') });
    expect(unknown.status).toBe(404);
  });

  it('approves every proposal: the new pairs form from the next check-in and are introduced', async () => {
    const people = [at('ana'), at('finn'), at('cleo'), at('gus')];
    const before = (await capturedEmails(people)).length;
    const approved = await api.call('POST', `/cohorts/${cohortId}/rematches/approve`);
    expect(approved.status).toBe(200);
    expect(
      (
        approved.body.pairs as {
          menteeEmail: string;
          mentorEmail: string;
          startRound: number;
          origin: string;
        }[]
      )
        .map((p) => [p.menteeEmail, p.mentorEmail, p.startRound, p.origin])
        .sort(),
    ).toEqual([
      [at('ana'), at('finn'), 2, 'rematch'],
      [at('cleo'), at('gus'), 2, 'rematch'],
    ]);
    expect(await subjectsSince(people, before)).toEqual([
      [at('ana'), 'Meet your mentor: Finn Actions'],
      [at('cleo'), 'Meet your mentor: Gus Actions'],
      [at('finn'), 'Meet your mentee: Ana Actions'],
      [at('gus'), 'Meet your mentee: Cleo Actions'],
    ]);
    expect((await api.call('POST', `/cohorts/${cohortId}/rematches/approve`)).body).toEqual({ pairs: [] });
    const organizers = (await capturedEmails([grace])).map((e) => e.subject);
    expect(organizers.filter((s) => s.endsWith('new partners to approve'))).toHaveLength(1);
  });
});
